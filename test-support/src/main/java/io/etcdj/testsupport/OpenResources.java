package io.etcdj.testsupport;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a test opened (members, proxies, channels, processes), closed after each test, the last
 * opened first. Every one is closed even when another fails to close: the first failure is thrown,
 * the later ones suppressed in it. A field of the test class:
 * {@code @RegisterExtension final OpenResources open = new OpenResources();}
 */
public final class OpenResources implements AfterEachCallback {
    private final Deque<AutoCloseable> open = new ArrayDeque<>();

    /** Closes {@code resource} after the test (before whatever was added earlier). */
    public void add(AutoCloseable resource) {
        open.push(resource);
    }

    /** Closes the resource added last, now. */
    public void closeLatest() throws Exception {
        open.pop().close();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Exception first = null;
        while (!open.isEmpty()) {
            try {
                open.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
