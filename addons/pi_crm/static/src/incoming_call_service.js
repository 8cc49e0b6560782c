import { registry } from "@web/core/registry";

/**
 * Shows the switchboard's caller ID to the consultant: a sticky notice with
 * the caller's name and a button opening the partner or lead.
 * Sent by res.users._pi_notify_incoming_call on the bus.
 */
export const piIncomingCallService = {
    dependencies: ["bus_service", "notification"],
    start(env, { bus_service, notification }) {
        bus_service.subscribe("pi_crm.incoming_call", (payload) => {
            const close = notification.add(payload.message, {
                title: payload.title,
                type: "info",
                sticky: true,
                buttons: [
                    {
                        name: payload.button,
                        primary: true,
                        onClick: () => {
                            close();
                            window.location.assign(payload.url);
                        },
                    },
                ],
            });
        });
        bus_service.start();
    },
};

registry.category("services").add("pi_incoming_call", piIncomingCallService);
