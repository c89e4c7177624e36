package io.etcdj.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenResourcesTest {
    @Test
    void closesLastOpenedFirstAndEveryOneEvenWhenSomeFail() throws Exception {
        List<String> closed = new ArrayList<>();
        OpenResources open = new OpenResources();
        open.add(() -> closed.add("member"));
        open.add(() -> {
            closed.add("proxy");
            throw new IllegalStateException("proxy would not stop");
        });
        open.add(() -> closed.add("channel"));
        open.add(() -> {
            closed.add("client");
            throw new IllegalStateException("client would not stop");
        });
        open.add(() -> closed.add("restarted"));
        open.closeLatest();
        assertThat(closed).containsExactly("restarted");

        assertThatThrownBy(() -> open.afterEach(null))
                .hasMessage("client would not stop")
                .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
                        .containsExactly("proxy would not stop"));
        assertThat(closed).containsExactly("restarted", "client", "channel", "proxy", "member");
        open.afterEach(null); // nothing is closed twice
        assertThat(closed).hasSize(5);
    }
}
