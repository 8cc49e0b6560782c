import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.project.models.project_task import CLOSED_STATES

_logger = logging.getLogger(__name__)

DONE_STATE = "1_done"
DEFAULT_REMINDER_HOURS = 24
REMINDER_HOURS_PARAM = "pi_bonus.task_reminder_hours"

# Only the "done with a comment" wizard sets a task done: it writes with this very
# object in the context. An RPC client can send a context key of that name, but
# only with a JSON/XML value, never this object, and ``_pi_write_done`` starts
# with "_", so it cannot be called over RPC either.
_DONE_WRITE = object()
_DONE_WRITE_KEY = "pi_task_done_write"


class ProjectTask(models.Model):
    _inherit = "project.task"

    # ------------------------------------------------------------------ fields
    pi_assigner_id = fields.Many2one(
        "res.users", string="Assigned By", index=True, tracking=True, copy=False,
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        help="Who gave the task: its creator unless a manager changes it. Notified when the task is done "
        "or overdue.")
    pi_partner_ids = fields.Many2many(
        "res.partner", "pi_project_task_partner_rel", "task_id", "partner_id", string="Customers Covered",
        help="The customers this task covers: one task may cover many (a greeting to a whole group).")
    pi_lead_id = fields.Many2one("crm.lead", string="Lead", index="btree_not_null", tracking=True)
    pi_contract_id = fields.Many2one("pi.investment.contract", string="Contract", index="btree_not_null",
                                     tracking=True)
    pi_origin_task_id = fields.Many2one("project.task", string="Support For", index="btree_not_null",
                                        help="The task this support request was raised from.")
    pi_user_id = fields.Many2one(
        "res.users", string="Person in Charge", compute="_compute_pi_user_id", store=True, index=True,
        help="The first assignee: the task's colour and filter in the calendar.")
    pi_progress = fields.Integer(
        string="Progress (%)", compute="_compute_pi_progress", store=True, readonly=False, aggregator="avg",
        help="Share of the work done: from the sub-tasks done when there are sub-tasks, else as its people set it.")
    pi_is_overdue = fields.Boolean(string="Overdue", compute="_compute_pi_is_overdue",
                                   search="_search_pi_is_overdue")
    pi_of_my_subordinates = fields.Boolean(
        string="My Subordinates' Tasks", compute="_compute_pi_of_my_subordinates",
        search="_search_pi_of_my_subordinates")
    # once-only stamps of the deadline cron (reset when the deadline moves)
    pi_reminded_user_ids = fields.Many2many(
        "res.users", "pi_project_task_reminded_user_rel", "task_id", "user_id", string="Reminded Assignees",
        copy=False, readonly=True, groups="project.group_project_manager")
    pi_overdue_notified = fields.Boolean(string="Overdue Notice Sent", copy=False, readonly=True,
                                         groups="project.group_project_manager")

    @api.depends("user_ids")
    def _compute_pi_user_id(self):
        for task in self:
            task.pi_user_id = task.user_ids[:1]

    @api.depends("child_ids.state")
    def _compute_pi_progress(self):
        for task in self:
            if task.child_ids:
                done = len(task.child_ids.filtered(lambda child: child.state in CLOSED_STATES))
                task.pi_progress = round(100 * done / len(task.child_ids))
            elif not task.pi_progress:
                task.pi_progress = 0

    @api.depends("date_deadline", "state")
    def _compute_pi_is_overdue(self):
        now = fields.Datetime.now()
        for task in self:
            task.pi_is_overdue = bool(task.date_deadline and task.date_deadline < now
                                      and task.state not in CLOSED_STATES)

    def _search_pi_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported"))
        domain = [("date_deadline", "<", fields.Datetime.now()), ("state", "not in", list(CLOSED_STATES))]
        return domain if (operator == "=") == value else ["!", *domain]

    @api.depends_context("uid")
    @api.depends("user_ids")
    def _compute_pi_of_my_subordinates(self):
        subordinates = self.env.user._pi_subordinate_users()
        for task in self:
            task.pi_of_my_subordinates = bool(task.user_ids & subordinates)

    def _search_pi_of_my_subordinates(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported"))
        domain = [("user_ids", "in", self.env.user._pi_subordinate_users().ids)]
        return domain if (operator == "=") == value else ["!", *domain]

    # ------------------------------------------------------------------ CRUD
    @api.model
    def default_get(self, fields_list):
        defaults = super().default_get(fields_list)
        # PI's task menus create in the PI work project
        if self.env.context.get("pi_tasks") and "project_id" in fields_list and not defaults.get("project_id"):
            defaults["project_id"] = self.env.ref("pi_bonus.project_pi_tasks").id
        return defaults

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            project = self.env["project.project"].browse(
                vals.get("project_id") or self.env.context.get("default_project_id"))
            if vals.get("state") == DONE_STATE and project.sudo().pi_task_project and not self._pi_is_done_write():
                raise UserError(self._pi_done_refusal())
        if not self._pi_is_task_manager():
            for vals in vals_list:
                if vals.get("pi_assigner_id", self.env.user.id) != self.env.user.id:
                    raise AccessError(self._pi_assigner_refusal())
        self._pi_check_links(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        # PI work projects only: stock projects keep stock's done button
        if "state" in vals and vals["state"] == DONE_STATE and not self._pi_is_done_write() \
                and any(task.state != DONE_STATE and task.project_id.pi_task_project for task in self):
            raise UserError(self._pi_done_refusal())
        if "stage_id" in vals and not self._pi_is_done_write():
            stage = self.env["project.task.type"].browse(vals["stage_id"])
            if stage.fold and any(task.project_id.pi_task_project and task.state != DONE_STATE for task in self):
                raise UserError(self._pi_done_refusal())
        if "pi_assigner_id" in vals and not self._pi_is_task_manager() \
                and any(task.pi_assigner_id.id != vals["pi_assigner_id"] for task in self):
            raise AccessError(self._pi_assigner_refusal())
        self._pi_check_links([vals])
        if "date_deadline" in vals:
            # a new deadline gets its own reminder and overdue notice
            self.sudo().write({"pi_reminded_user_ids": [fields.Command.clear()], "pi_overdue_notified": False})
        return super().write(vals)

    def _pi_check_links(self, vals_list):
        """A task may point only at a lead, contract, task or customer its author may read."""
        for field_name in ("pi_lead_id", "pi_contract_id", "pi_origin_task_id"):
            ids = [vals[field_name] for vals in vals_list if vals.get(field_name)]
            if ids:
                self.env[self._fields[field_name].comodel_name]._pi_check_link_access(ids)
        partner_ids = [partner_id for vals in vals_list for command in vals.get("pi_partner_ids") or []
                       for partner_id in self._pi_linked_ids(command)]
        if partner_ids:
            self.env["res.partner"]._pi_check_link_access(partner_ids)

    @staticmethod
    def _pi_linked_ids(command):
        """The existing records an x2many command (or a bare id) links."""
        if isinstance(command, int):
            return [command]
        if command[0] == fields.Command.LINK:
            return [command[1]]
        if command[0] == fields.Command.SET:
            return list(command[2])
        return []

    def _pi_is_done_write(self):
        return self.env.context.get(_DONE_WRITE_KEY) is _DONE_WRITE

    def _pi_is_task_manager(self):
        return self.env.su or self.env.user.has_group("pi_crm.group_pi_manager")

    def _pi_done_refusal(self):
        return self.env._(
            "A task is done only with a comment on how it went: please use the \"Mark as Done\" button "
            "and write your comment, so that whoever assigned it is told.")

    def _pi_assigner_refusal(self):
        return self.env._("Only a manager may change who assigned a task.")

    # ------------------------------------------------------------------ actions
    def action_pi_mark_done(self):
        """Open the wizard that closes the task with a comment."""
        self.ensure_one()
        self.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Mark as Done"),
            "res_model": "pi.task.done",
            "view_mode": "form",
            "target": "new",
            "context": {"default_task_id": self.id},
        }

    def action_pi_request_support(self):
        """Raise a support task for the current user's superior about this task."""
        self.ensure_one()
        return self._pi_request_support(self, partners=self.pi_partner_ids, links={
            "pi_lead_id": self.pi_lead_id.id, "pi_contract_id": self.pi_contract_id.id, "pi_origin_task_id": self.id})

    @api.model
    def _pi_tasks_action(self, name, domain, context):
        """The PI task views on ``domain`` (a lead's or a contract's tasks)."""
        action = self.env["ir.actions.act_window"]._for_xml_id("pi_bonus.pi_task_action_company")
        action.update(name=name, domain=domain, context={
            **context, "default_project_id": self.env.ref("pi_bonus.project_pi_tasks").id})
        return action

    def _pi_write_done(self, comment):
        """Close the tasks with the comment: the state, the project's folded stage, the
        comment on the chatter and a notice to whoever assigned each task. Called by
        the wizard after it checked the user may write the tasks."""
        self.check_access("write")
        for task in self:
            values = {"state": DONE_STATE}
            done_stage = task.project_id.type_ids.filtered("fold")[:1]
            if task.project_id.pi_task_project and done_stage:
                values["stage_id"] = done_stage.id
            task.with_context(**{_DONE_WRITE_KEY: _DONE_WRITE}).write(values)
            assigner = task.pi_assigner_id
            partners = assigner.partner_id if assigner and assigner != self.env.user else self.env["res.partner"]
            body = Markup("<p>%s</p>%s") % (
                task.env._("Done, with this comment:"), Markup("<br/>").join((comment or "").splitlines()))
            # partner_ids: the assigner gets it in the inbox or by e-mail, as they chose
            task.message_post(body=body, message_type="comment", subtype_xmlid="mail.mt_comment",
                              partner_ids=partners.ids)
        return True

    @api.model
    def _pi_request_support(self, record, partners, links):
        """Create a support task for the current user's superior about ``record`` and open it;
        ``links``: the task's fields pointing at where it comes from (``{"pi_lead_id": id}``).

        The superior is the manager of the user's employee (``hr.employee.parent_id``); without
        one, the leader of the user's sales team. Refused with a message when there is neither.
        """
        record.check_access("read")
        user = self.env.user
        superior = user._pi_superior_user()
        if not superior:
            raise UserError(self.env._(
                "You have no superior to ask for help: no manager is set on your employee record and your sales "
                "team has no leader. Please ask a manager to set one."))
        task = self.create({
            "name": self.env._("Support request: %(name)s", name=record.display_name),
            "project_id": self.env.ref("pi_bonus.project_pi_tasks").id,
            "user_ids": [fields.Command.set(superior.ids)],
            "pi_partner_ids": [fields.Command.set(partners.ids)],
            **links,
            "description": Markup("<p>%s</p>") % self.env._(
                "%(user)s asks for your help with %(name)s.", user=user.name, name=record.display_name),
        })
        if hasattr(record, "message_post"):
            record.message_post(body=Markup("%s %s") % (
                self.env._("Support requested from %(superior)s:", superior=superior.name), task._get_html_link()))
        return {
            "type": "ir.actions.act_window",
            "name": task.name,
            "res_model": "project.task",
            "res_id": task.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------------ cron
    @api.model
    def _pi_reminder_hours(self):
        value = self.env["ir.config_parameter"].sudo().get_param(REMINDER_HOURS_PARAM)
        try:
            return max(0, int(value)) if value not in (None, False, "") else DEFAULT_REMINDER_HOURS
        except ValueError:
            return DEFAULT_REMINDER_HOURS

    @api.model
    def _cron_pi_deadline_reminder(self, batch_size=200):
        """Remind each assignee once before a task's deadline, and tell the assigner once
        when it becomes overdue. Runs as OdooBot: the stamps on the task make it once-only."""
        now = fields.Datetime.now()
        Task = self.sudo().with_context(active_test=True)
        open_domain = [("date_deadline", "!=", False), ("state", "not in", list(CLOSED_STATES)),
                       ("project_id.pi_task_project", "=", True)]
        soon = now + timedelta(hours=self._pi_reminder_hours())
        # the window before a deadline is short: its tasks are few, and those reminded drop out here
        to_remind = Task.search(open_domain + [
            ("date_deadline", "<=", soon), ("date_deadline", ">", now), ("user_ids", "!=", False),
        ]).filtered(lambda task: task.user_ids - task.pi_reminded_user_ids)[:batch_size]
        overdue = Task.search(open_domain + [("date_deadline", "<=", now), ("pi_overdue_notified", "=", False)],
                              limit=batch_size)
        for task in to_remind:
            task._pi_send_deadline_reminder()
        for task in overdue:
            task._pi_send_overdue_notice()
        remaining = 0 if len(overdue) < batch_size else Task.search_count(
            open_domain + [("date_deadline", "<=", now), ("pi_overdue_notified", "=", False)])
        self.env["ir.cron"]._notify_progress(done=len(to_remind) + len(overdue), remaining=remaining)

    def _pi_send_deadline_reminder(self):
        self.ensure_one()
        for user in self.user_ids - self.pi_reminded_user_ids:
            task = self.with_context(lang=user.lang or self.env.lang)
            deadline = fields.Datetime.context_timestamp(task.with_context(tz=user.tz or "Asia/Ho_Chi_Minh"),
                                                         self.date_deadline)
            summary = task.env._("Deadline %(deadline)s: %(task)s", deadline=deadline.strftime("%d/%m/%Y %H:%M"),
                                 task=self.name)
            task.activity_schedule("mail.mail_activity_data_todo", date_deadline=deadline.date(),
                                   summary=summary, user_id=user.id)
            task.message_post(
                body=Markup("<p>%s</p>") % task.env._(
                    "Reminder: this task is due on %(deadline)s.", deadline=deadline.strftime("%d/%m/%Y %H:%M")),
                message_type="notification", subtype_xmlid="mail.mt_note", partner_ids=user.partner_id.ids)
            self.pi_reminded_user_ids = [fields.Command.link(user.id)]

    def _pi_send_overdue_notice(self):
        self.ensure_one()
        assigner = self.pi_assigner_id
        if assigner and assigner.active:
            task = self.with_context(lang=assigner.lang or self.env.lang)
            task.message_post(
                body=Markup("<p>%s</p>") % task.env._(
                    "This task is overdue: it was due on %(deadline)s and is not done yet (%(people)s).",
                    deadline=fields.Datetime.context_timestamp(
                        task.with_context(tz=assigner.tz or "Asia/Ho_Chi_Minh"), self.date_deadline
                    ).strftime("%d/%m/%Y %H:%M"),
                    people=", ".join(self.user_ids.mapped("name")) or "-"),
                message_type="notification", subtype_xmlid="mail.mt_note", partner_ids=assigner.partner_id.ids)
        self.pi_overdue_notified = True
