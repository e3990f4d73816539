package com.anycontact.innolicense.store;

import com.anycontact.innolicense.access.InMemorySessionStore;
import com.anycontact.innolicense.access.SessionStore;

/** The session store contract on the embedded server's store in memory, shared by two handles as by two nodes. */
class InMemorySessionStoreTest extends SessionStoreContract {

    private SessionStore last;

    @Override
    protected SessionStore createStore(int maxSessions) {
        last = new InMemorySessionStore(maxSessions);
        return last;
    }

    @Override
    protected SessionStore otherNode() {
        return last;
    }
}
