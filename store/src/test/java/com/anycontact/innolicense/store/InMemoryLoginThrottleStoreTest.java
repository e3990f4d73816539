package com.anycontact.innolicense.store;

import com.anycontact.innolicense.access.InMemoryLoginThrottleStore;
import com.anycontact.innolicense.access.LoginThrottleStore;

/** The login throttle store contract on the embedded server's store in memory, shared by two handles. */
class InMemoryLoginThrottleStoreTest extends LoginThrottleStoreContract {

    private LoginThrottleStore last;

    @Override
    protected LoginThrottleStore createStore() {
        last = new InMemoryLoginThrottleStore();
        return last;
    }

    @Override
    protected LoginThrottleStore otherNode() {
        return last;
    }
}
