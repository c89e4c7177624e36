package io.etcdj.server.v3;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The thread that moves waiting lock and election calls forward when a watched key changes (a
 * watch listener runs under the store's locks and may only hand work over). Its tasks never block:
 * they poll a watch stream and start the next asynchronous request. The single daemon thread is
 * made on first use and ends after a minute without work, so nothing has to stop it.
 */
final class RecipeThreads {
    private RecipeThreads() {}

    static ExecutorService create() {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "lock-election-watch-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
