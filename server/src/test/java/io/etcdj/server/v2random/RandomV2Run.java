package io.etcdj.server.v2random;

import io.etcdj.server.gateway.HttpReply;
import java.util.List;

/**
 * One seeded run: {@code steps} requests from {@link V2RequestGenerator}, each sent to both
 * servers and compared; before some writes, watches on the written key and its parents are
 * opened on both, and what they answer after the write is compared too (a write that failed
 * reaches no watcher: they are then cancelled; one to a key hidden from the root's watch is
 * followed by one the root's watch sees).
 */
public final class RandomV2Run {
    /** What a run did, for the log. */
    public record Summary(long seed, int steps, int watches, int events, long index, boolean writeHeavy) {
    }

    private RandomV2Run() {
    }

    public static Summary run(TwoServers servers, long seed, int steps) {
        ReferenceMemory memory = new ReferenceMemory();
        V2RequestGenerator generator = new V2RequestGenerator(seed, memory);
        int watches = 0;
        for (int i = 1; i <= steps; i++) {
            V2Step step = generator.next();
            String where = "seed " + seed + ", step " + i;
            List<V2Step> watching = generator.futureWatches(step);
            List<TwoServers.Watch> open = servers.watch(watching);
            watches += open.size();
            HttpReply ref = servers.same(where, step);
            memory.learn(step, ref.status(), V2AnswerView.header(ref, "X-Etcd-Index"), ref.body());
            boolean reachesWatchers = ref.status() / 100 == 2;
            if (step.expiresAtOnce() && reachesWatchers) {
                long expiredAt = memory.index() + 1;
                servers.awaitIndex(where + ", the ttl=0 key expiring", expiredAt);
                memory.expired(step.storeKey(), expiredAt);
            }
            V2Step flush = reachesWatchers ? generator.flushAfter(step, watching) : null;
            if (flush != null) {
                HttpReply flushed = servers.same(where + ", a write the root's watch sees", flush);
                memory.learn(flush, flushed.status(), V2AnswerView.header(flushed, "X-Etcd-Index"), flushed.body());
            }
            for (TwoServers.Watch w : open) {
                if (reachesWatchers) {
                    w.same(where);
                } else {
                    w.cancel();
                }
            }
        }
        return new Summary(seed, steps, watches, memory.events().size(), memory.index(), generator.writeHeavy());
    }
}
