package com.anycontact.innolicense.access;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A token store in a list, keeping the digests it was given so tests can look at them. */
final class InMemoryTokenStore implements TokenStore {

    record Row(ApiToken token, String secretDigest) {}

    final List<Row> rows = new ArrayList<>();
    int lookups;

    @Override
    public synchronized void create(ApiToken token, String secretDigest) {
        if (rows.stream()
                .anyMatch(row ->
                        row.secretDigest.equals(secretDigest) || row.token.id().equals(token.id()))) {
            throw new IllegalStateException("duplicate token " + token.id());
        }
        rows.add(new Row(token, secretDigest));
    }

    @Override
    public synchronized Optional<ApiToken> findBySecretDigest(String digest) {
        lookups++;
        return rows.stream()
                .filter(row -> row.secretDigest.equals(digest))
                .map(Row::token)
                .findFirst();
    }

    @Override
    public synchronized List<ApiToken> list() {
        return rows.stream().map(Row::token).toList();
    }

    @Override
    public synchronized boolean revoke(String id, Instant at) {
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            if (row.token.id().equals(id) && !row.token.isRevoked()) {
                ApiToken token = row.token;
                rows.set(
                        i,
                        new Row(
                                new ApiToken(
                                        token.id(),
                                        token.name(),
                                        token.role(),
                                        token.createdAt(),
                                        token.createdBy(),
                                        Optional.of(at)),
                                row.secretDigest));
                return true;
            }
        }
        return false;
    }
}
