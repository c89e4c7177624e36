/**
 * etcd inside a Java program: {@link io.etcdj.embed.EmbeddedEtcdCluster} starts one or more
 * members in this JVM, configured by bin/etcd's flag names and parsed by the server's own
 * configuration code; {@link io.etcdj.embed.junit.EtcdClusterExtension} runs one for JUnit 5 tests.
 *
 * <p>Invariants: every member listens only on 127.0.0.1, on ports no other embedded member of this
 * JVM was given; every member has a data dir of its own; a cluster's {@code close()} leaves no
 * member running and, unless the caller chose the data directory, no file behind.
 */
package io.etcdj.embed;
