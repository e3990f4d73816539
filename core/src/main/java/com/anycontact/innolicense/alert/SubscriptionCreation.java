package com.anycontact.innolicense.alert;

import java.util.Objects;
import java.util.Optional;

/** What creating a subscription gave: the subscription, or why it was refused. */
public sealed interface SubscriptionCreation permits SubscriptionCreation.Created, AlertSettingRefused {

    /**
     * A new subscription, with a webhook's signing secret, which is shown only this once.
     *
     * @param subscription the subscription as listed
     * @param secret a webhook's {@code whsec_…} secret; empty for e-mail
     */
    record Created(Subscription subscription, Optional<String> secret) implements SubscriptionCreation {

        /** Requires both components. */
        public Created {
            Objects.requireNonNull(subscription, "subscription");
            Objects.requireNonNull(secret, "secret");
        }

        /** Names the subscription without its secret, so the secret stays out of logs. */
        @Override
        public String toString() {
            return "Created[subscription=" + subscription + "]";
        }
    }
}
