package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.access.AuditSink;
import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.AuditLog;
import com.anycontact.innolicense.audit.AuditQuery;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditSinkTest {

    /** Keeps what was recorded. */
    private static final class RecordingAuditLog implements AuditLog {
        final List<AuditEvent.Type> types = new ArrayList<>();

        @Override
        public void record(Instant at, String actor, AuditEvent.Type type, String detail) {
            types.add(type);
        }

        @Override
        public List<AuditEvent> find(AuditQuery query) {
            return List.of();
        }
    }

    @Test
    void everyEventOfAccessControl_isRecordedUnderItsAuditType() throws IllegalAccessException {
        RecordingAuditLog log = new RecordingAuditLog();
        AuditSink sink = LicenseServer.auditSink(log);
        List<String> names = new ArrayList<>();
        for (Field field : AuditSink.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                names.add((String) field.get(null));
            }
        }

        names.forEach(name -> sink.record(Instant.EPOCH, "admin", name, "detail"));

        assertThat(names).isNotEmpty();
        assertThat(log.types).extracting(AuditEvent.Type::name).containsExactlyElementsOf(names);
    }
}
