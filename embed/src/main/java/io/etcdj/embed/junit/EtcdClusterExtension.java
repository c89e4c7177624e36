package io.etcdj.embed.junit;

import io.etcdj.embed.EmbeddedEtcdCluster;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that runs an {@link EmbeddedEtcdCluster} for the tests of a class:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final EtcdClusterExtension etcd = new EtcdClusterExtension(EmbeddedEtcdCluster.builder().members(3));
 *
 * @Test
 * void putThenGet() {
 *     Client client = Client.builder().endpoints(etcd.clientEndpoints().toArray(URI[]::new)).build();
 *     ...
 * }
 * }</pre>
 *
 * On a static field one cluster serves every test of the class (and of its nested classes); on an
 * instance field every test gets a fresh one. The cluster is closed (members stopped, temporary
 * data deleted) after the last test it served; a member that failed fatally meanwhile fails the
 * class (or the test) with that error.
 */
public final class EtcdClusterExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {
    private final EmbeddedEtcdCluster.Builder builder;
    private EmbeddedEtcdCluster cluster;
    /** The unique id of the JUnit context whose start created {@link #cluster}; it alone closes it. */
    private String owner;

    public EtcdClusterExtension(EmbeddedEtcdCluster.Builder builder) {
        this.builder = builder;
    }

    /** A cluster of {@code members} members with etcd's default flags. */
    public static EtcdClusterExtension withMembers(int members) {
        return new EtcdClusterExtension(EmbeddedEtcdCluster.builder().members(members));
    }

    /** The running cluster; only between the extension's start and its close. */
    public EmbeddedEtcdCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException("the embedded etcd cluster runs only while its tests run");
        }
        return cluster;
    }

    /** Every member's client URL. */
    public List<URI> clientEndpoints() {
        return cluster().clientEndpoints();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        startFor(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        startFor(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        closeFor(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeFor(context);
    }

    private void startFor(ExtensionContext context) {
        if (cluster == null) {
            cluster = builder.start();
            owner = context.getUniqueId();
        }
    }

    private void closeFor(ExtensionContext context) {
        if (cluster == null || !context.getUniqueId().equals(owner)) {
            return;
        }
        List<Throwable> fatal = cluster.fatalErrors();
        try {
            cluster.close();
        } finally {
            cluster = null;
            owner = null;
        }
        if (!fatal.isEmpty()) {
            AssertionError failure = new AssertionError("an embedded etcd member failed: " + fatal.get(0), fatal.get(0));
            fatal.stream().skip(1).forEach(failure::addSuppressed);
            throw failure;
        }
    }
}
