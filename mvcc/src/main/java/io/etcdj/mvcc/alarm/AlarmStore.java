package io.etcdj.mvcc.alarm;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.google.protobuf.InvalidProtocolBufferException;

import io.etcdj.api.etcdserverpb.AlarmMember;
import io.etcdj.api.etcdserverpb.AlarmType;
import io.etcdj.mvcc.backend.Backend;
import io.etcdj.mvcc.backend.BackendBatch;
import io.etcdj.mvcc.backend.Bucket;

/**
 * Raised alarms (NOSPACE, CORRUPT) per member, persisted in the {@code alarm} bucket as etcd does: the
 * key is the serialized {@link AlarmMember}, the value empty. Changes come from applied raft entries,
 * so they commit with the consistent index. Thread-safe.
 */
public final class AlarmStore {
    private final Backend backend;
    private final Set<AlarmMember> active = new LinkedHashSet<>();

    public AlarmStore(Backend backend) {
        this.backend = backend;
        backend.forEach(Bucket.ALARM, null, null, (k, v) -> {
            try {
                active.add(AlarmMember.parseFrom(k));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("corrupt alarm key", e);
            }
            return true;
        });
    }

    /** Raises {@code type} for {@code memberId}; returns the alarm, or null if it was already raised. */
    public synchronized AlarmMember activate(long memberId, AlarmType type) {
        AlarmMember m = AlarmMember.newBuilder().setMemberID(memberId).setAlarm(type).build();
        if (!active.add(m)) {
            return null;
        }
        BackendBatch b = backend.newBatch();
        b.put(Bucket.ALARM, m.toByteArray(), new byte[0]);
        backend.commit(b);
        return m;
    }

    /** Clears {@code type} for {@code memberId}; returns the cleared alarm, or null if it was not raised. */
    public synchronized AlarmMember deactivate(long memberId, AlarmType type) {
        AlarmMember m = AlarmMember.newBuilder().setMemberID(memberId).setAlarm(type).build();
        if (!active.remove(m)) {
            return null;
        }
        BackendBatch b = backend.newBatch();
        b.delete(Bucket.ALARM, m.toByteArray());
        backend.commit(b);
        return m;
    }

    /** Raised alarms of {@code type} ({@link AlarmType#NONE}: all), in raising order. */
    public synchronized List<AlarmMember> list(AlarmType type) {
        List<AlarmMember> out = new ArrayList<>();
        for (AlarmMember m : active) {
            if (type == AlarmType.NONE || m.getAlarm() == type) {
                out.add(m);
            }
        }
        return out;
    }

    /** Whether any member has raised {@code type}. */
    public synchronized boolean isActive(AlarmType type) {
        return !list(type).isEmpty();
    }
}
