package io.etcdj.server;

import java.util.concurrent.CompletableFuture;

/** Maps any failure of a future to an {@link EtcdException} (the {@link EtcdServer} contract). */
interface ErrorGuard {
    <T> CompletableFuture<T> guard(CompletableFuture<T> f);
}
