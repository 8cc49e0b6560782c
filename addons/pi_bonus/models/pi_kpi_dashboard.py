from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import format_amount, formatLang

from ..tools import sales_kpi

OPEN_TASK_STATES = ("01_in_progress", "02_changes_requested", "03_approved", "04_waiting_normal")


class PiKpiDashboard(models.AbstractModel):
    """The figures of the manager's dashboard and the consultant's home (the OWL
    client action ``pi_bonus.dashboard``): one call returns every card, counted
    with the caller's rights (record rules decide what each one counts), with
    the list each number opens."""

    _name = "pi.kpi.dashboard"
    _description = "PI Dashboard"

    @api.model
    def get_dashboard_data(self, mode="consultant"):
        """:param mode: ``manager`` (managers only) or ``consultant`` (the caller's own figures)
        :return: ``{"title", "cards": [{key, label, value, display, action}], "kpi": {...}}``"""
        if self.env.user.share:
            raise AccessError(self.env._("The dashboard is for PI's staff."))
        if mode == "manager":
            if not self.env.user.has_group("pi_crm.group_pi_manager"):
                raise AccessError(self.env._("Only a manager opens the manager dashboard."))
            return {"title": self.env._("Manager Dashboard"), "cards": self._manager_cards(),
                    "kpi": self._kpi_table()}
        if not self.env.user.has_group("pi_crm.group_pi_consultant"):
            raise AccessError(self.env._("The consultant's home is for PI's consultants."))
        return {"title": self.env._("My Home"), "cards": self._consultant_cards(),
                "kpi": self._kpi_table(self.env.user)}

    # ------------------------------------------------------------------ cards
    def _today(self):
        return fields.Date.context_today(self)

    def _expiring_domain(self):
        today = self._today()
        return [("state", "=", "active"), ("date_end", ">=", today), ("date_end", "<=", today + timedelta(days=30))]

    def _open_tasks_domain(self):
        return [("project_id", "=", self.env.ref("pi_bonus.project_pi_tasks").id),
                ("state", "in", OPEN_TASK_STATES)]

    def _count_card(self, key, label, model, domain, views=("list", "form")):
        value = self.env[model].search_count(domain)
        return {
            "key": key, "label": label, "value": value, "display": formatLang(self.env, value, digits=0),
            "action": {"type": "ir.actions.act_window", "name": label, "res_model": model, "domain": domain,
                       "views": [[False, view] for view in views], "target": "current"},
        }

    def _month_principal_card(self, user=None):
        """Principal raised this month against this month's targets (the KPI report,
        read with the caller's rights)."""
        month = sales_kpi.month_start(self._today())
        domain = [("date", ">=", month), ("date", "<=", sales_kpi.month_end(month))]
        if user:
            domain.append(("user_id", "=", user.id))
        [(principal, target)] = self.env["pi.kpi.report"]._read_group(
            domain, aggregates=["principal:sum", "target_principal:sum"])
        currency = self.env.company.currency_id
        achievement = sales_kpi.ratio(principal or 0, target or 0)
        display = format_amount(self.env, principal or 0, currency)
        label = self.env._("Principal raised this month")
        card = {
            "key": "principal_month", "label": label, "value": principal or 0, "display": display,
            "target": target or 0,
            "target_display": self.env._("Target: %(amount)s", amount=format_amount(self.env, target or 0, currency)),
            "achievement": achievement,
            "achievement_display": formatLang(self.env, achievement, digits=0) + " %" if achievement is not None
            else "",
            "action": self._kpi_action(label, domain),
        }
        return card

    def _kpi_action(self, name, domain):
        action = self.env["ir.actions.act_window"]._for_xml_id("pi_bonus.pi_kpi_report_action")
        action.update(name=name, domain=domain)
        return action

    def _manager_cards(self):
        Partner, Lead = "res.partner", "crm.lead"
        now = fields.Datetime.now()
        return [
            self._count_card("customers_active", self.env._("Active customers"), Partner,
                             [("pi_segment", "in", ("member", "loyal"))]),
            self._count_card("customers_stopped", self.env._("Stopped customers"), Partner,
                             [("pi_segment", "=", "former")]),
            self._count_card("customers_potential", self.env._("Potential customers"), Partner,
                             [("pi_segment", "=", "lead")]),
            self._count_card("leads_new", self.env._("New leads not consulted"), Lead,
                             [("pi_consult_state", "=", "new")]),
            self._count_card("contracts_expiring", self.env._("Contracts expiring in 30 days"),
                             "pi.investment.contract", self._expiring_domain()),
            self._month_principal_card(),
            self._count_card("tasks_overdue", self.env._("Overdue tasks"), "project.task",
                             [*self._open_tasks_domain(), ("date_deadline", "<", now)]),
        ]

    def _consultant_cards(self):
        user = self.env.user
        today = self._today()
        return [
            self._count_card("my_queue", self.env._("My queue: leads to consult"), "crm.lead",
                             [("user_id", "=", user.id), ("pi_consult_state", "=", "new")]),
            self._count_card("my_calls", self.env._("My calls today"), "mail.activity",
                             [("user_id", "=", user.id), ("activity_category", "=", "phonecall"),
                              ("date_deadline", "<=", today)]),
            self._count_card("my_tasks", self.env._("My tasks"), "project.task",
                             [*self._open_tasks_domain(), ("user_ids", "in", user.ids)]),
            self._count_card("my_expiring", self.env._("My contracts expiring in 30 days"),
                             "pi.investment.contract", [*self._expiring_domain(), ("user_id", "=", user.id)]),
            self._my_bonus_card(user),
            self._month_principal_card(user),
        ]

    def _my_bonus_card(self, user):
        """This month's bonus lines of the caller (provisional and official), read with their rights."""
        month = sales_kpi.month_start(self._today())
        domain = [("user_id", "=", user.id), ("state", "!=", "cancelled"), ("date_provisional", ">=", month),
                  ("date_provisional", "<=", sales_kpi.month_end(month))]
        [(amount,)] = self.env["pi.bonus.line"]._read_group(domain, aggregates=["amount:sum"])
        label = self.env._("My bonus this month")
        return {
            "key": "my_bonus", "label": label, "value": amount or 0,
            "display": format_amount(self.env, amount or 0, self.env.company.currency_id),
            "action": {"type": "ir.actions.act_window", "name": label, "res_model": "pi.bonus.line",
                       "domain": domain, "views": [[False, "list"], [False, "form"]], "target": "current"},
        }

    # ------------------------------------------------------------------ KPI table
    def _kpi_table(self, user=None):
        """This month per consultant (only ``user`` when given; the record rules
        limit a consultant to their own rows anyway): headers and rows, each row
        opening the KPI pivot of that consultant."""
        month = sales_kpi.month_start(self._today())
        domain = [("date", ">=", month), ("date", "<=", sales_kpi.month_end(month)), ("user_id", "!=", False)]
        if user:
            domain.append(("user_id", "=", user.id))
        measures = ["lead_count", "consulted_count", "interaction_count", "contract_count", "principal",
                    "target_principal"]
        groups = self.env["pi.kpi.report"]._read_group(
            domain, ["user_id"], [f"{measure}:sum" for measure in measures])
        fields_ = self.env["pi.kpi.report"]._fields
        currency = self.env.company.currency_id
        rows = []
        for consultant, *values in sorted(groups, key=lambda group: group[0].name or ""):
            figures = dict(zip(measures, (value or 0 for value in values), strict=True))
            achievement = sales_kpi.ratio(figures["principal"], figures["target_principal"])
            cells = [formatLang(self.env, figures[name], digits=0) for name in measures[:4]]
            cells += [format_amount(self.env, figures["principal"], currency),
                      format_amount(self.env, figures["target_principal"], currency),
                      formatLang(self.env, achievement, digits=0) + " %" if achievement is not None else "—"]
            rows.append({"user_id": consultant.id, "name": consultant.name, "cells": cells,
                         "action": self._kpi_action(consultant.name, [*domain, ("user_id", "=", consultant.id)])})
        headers = [fields_[name]._description_string(self.env) for name in measures]
        headers.append(fields_["principal_achievement"]._description_string(self.env))
        return {"title": self.env._("KPIs this month"), "consultant": fields_["user_id"]._description_string(self.env),
                "headers": headers, "rows": rows, "empty": self.env._("No figures this month yet."),
                # columns a phone leaves out (consulted, interactions, target): the table stays readable
                "phone_hidden": [1, 2, 5]}

