package io.etcdj.server.v2random;

import io.etcdj.server.gateway.HttpReply;
import io.etcdj.server.gateway.RawHttp;
import io.etcdj.testsupport.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The reference etcd and our member side by side: each request goes to both (at the same time,
 * each server seeing the requests in the same order), and the two answers must read the same
 * through {@link V2AnswerView}. The first difference fails with both answers in full and the last
 * requests before it.
 */
public final class TwoServers implements AutoCloseable {
    /** How long a watch may take to answer after the write that reaches it. */
    private static final long WATCH_DEADLINE_SECONDS = 30;
    private static final int TRAIL = 12;
    /** -Drandv2.verbose=true prints every request with the answer both gave. */
    private static final boolean VERBOSE = Boolean.getBoolean("randv2.verbose");

    private final int refPort;
    private final int ourPort;
    private final String replay;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "randv2-client");
        t.setDaemon(true);
        return t;
    });
    private final Deque<String> trail = new ArrayDeque<>();

    /** {@code replay}: how to run the same sequence again (named on a failure). */
    public TwoServers(int refPort, int ourPort, String replay) {
        this.refPort = refPort;
        this.ourPort = ourPort;
        this.replay = replay;
    }

    /** Sends {@code step} to both, checks the answers agree, and returns the reference's. */
    public HttpReply same(String where, V2Step step) {
        CompletableFuture<HttpReply> ref = async(() -> exchange(refPort, step));
        CompletableFuture<HttpReply> our = async(() -> exchange(ourPort, step));
        return agree(where, step, ref, our);
    }

    /** Waits until both servers' v2 index has reached {@code index} (something happens on its own time). */
    public void awaitIndex(String where, long index) {
        for (int port : new int[] {refPort, ourPort}) {
            Await.until(Duration.ofSeconds(WATCH_DEADLINE_SECONDS), where + ": index " + index + " on port " + port,
                    () -> {
                        try {
                            String seen = V2AnswerView.header(RawHttp.exchange(port, "GET", "/v2/keys/", List.of(), null),
                                    "X-Etcd-Index");
                            return seen != null && Long.parseLong(seen) >= index;
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        }
    }

    /** A long-poll watch open on both servers (registered: both sent the answer's head). */
    public final class Watch {
        private final V2Step step;
        private final RawHttp ref;
        private final RawHttp our;

        private Watch(V2Step step) throws IOException {
            this.step = step;
            this.ref = RawHttp.open(refPort, step.method(), step.target(), List.of(), step.form());
            RawHttp o;
            try {
                o = RawHttp.open(ourPort, step.method(), step.target(), List.of(), step.form());
            } catch (IOException e) {
                ref.close();
                throw e;
            }
            this.our = o;
        }

        /** Waits for both answers (an event reached them) and checks they agree. */
        public void same(String where) {
            agree(where + " (watch opened before it)", step, async(ref::readAll), async(our::readAll));
            cancel();
        }

        /** Ends the watch on both (no event is coming). */
        public void cancel() {
            try {
                ref.close();
                our.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    /** Opens {@code steps} as watches on both servers; each has registered when this returns. */
    public List<Watch> watch(List<V2Step> steps) {
        List<Watch> watches = new ArrayList<>();
        try {
            for (V2Step s : steps) {
                watches.add(new Watch(s));
                remember("(watch) " + s);
            }
        } catch (IOException e) {
            watches.forEach(Watch::cancel);
            throw new UncheckedIOException(e);
        }
        return watches;
    }

    private HttpReply agree(String where, V2Step step, CompletableFuture<HttpReply> refAnswer,
                            CompletableFuture<HttpReply> ourAnswer) {
        HttpReply ref = await(refAnswer, where, step, "etcd");
        HttpReply our = await(ourAnswer, where, step, "ours");
        String want = V2AnswerView.of(ref, step.sorted());
        String got = V2AnswerView.of(our, step.sorted());
        if (!want.equals(got)) {
            throw new AssertionError(where + ": the answers to " + step + " differ (" + replay + ")\n"
                    + "--- etcd (compared):\n" + want + "\n--- ours (compared):\n" + got
                    + "\n--- etcd (as sent):\n" + ref.transcript() + "\n--- ours (as sent):\n" + our.transcript()
                    + trail());
        }
        remember(step + "  -> " + ref.statusLine());
        if (VERBOSE) {
            System.out.println(where + ": " + step + "\n" + want + "\n");
        }
        return ref;
    }

    private HttpReply await(CompletableFuture<HttpReply> answer, String where, V2Step step, String side) {
        try {
            return answer.get(WATCH_DEADLINE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(where + ": " + side + " did not answer " + step + " in "
                    + WATCH_DEADLINE_SECONDS + " s (" + replay + ")" + trail());
        } catch (ExecutionException e) {
            throw new AssertionError(where + ": " + side + " failed on " + step + " (" + replay + ")" + trail(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private String trail() {
        return "\n--- the requests before it, oldest first:\n" + String.join("\n", trail);
    }

    private void remember(String line) {
        trail.addLast(line);
        if (trail.size() > TRAIL) {
            trail.removeFirst();
        }
    }

    private static HttpReply exchange(int port, V2Step step) throws IOException {
        return RawHttp.exchange(port, step.method(), step.target(), List.of(), step.form());
    }

    private interface Call {
        HttpReply run() throws IOException;
    }

    private CompletableFuture<HttpReply> async(Call call) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return call.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, pool);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
