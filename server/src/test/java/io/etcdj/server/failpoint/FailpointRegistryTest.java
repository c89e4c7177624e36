package io.etcdj.server.failpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailpointRegistryTest {
    private final List<String> crashes = new ArrayList<>();
    private final FailpointRegistry registry = new FailpointRegistry(Failpoints.NAMES, crashes::add);

    @Test
    void anUnarmedPointIsPassedAndAnArmedOneCrashesUntilDisarmed() {
        registry.reach("raftBeforeSave");
        assertThat(crashes).isEmpty();

        registry.set("raftBeforeSave", "panic");
        registry.reach("raftAfterSave");
        registry.reach("raftBeforeSave");
        assertThat(crashes).containsExactly("raftBeforeSave");

        registry.set("raftBeforeSave", "off");
        registry.reach("raftBeforeSave");
        assertThat(crashes).containsExactly("raftBeforeSave");
    }

    @Test
    void theEnvironmentSpecificationArmsSeveralPoints() {
        registry.setAll("beforeCommit=panic;compactAfterCommitBatch=panic");
        assertThat(registry.list()).containsEntry("beforeCommit", "panic")
                .containsEntry("compactAfterCommitBatch", "panic").containsEntry("afterCommit", "");
    }

    @Test
    void unknownPointsAndTermsAreRefused() {
        assertThatThrownBy(() -> registry.set("noSuchPoint", "panic")).hasMessageContaining("does not exist: noSuchPoint");
        assertThatThrownBy(() -> registry.set("beforeCommit", "sleep(10)")).hasMessageContaining("unsupported term");
        assertThatThrownBy(() -> registry.setAll("beforeCommit")).hasMessageContaining("want name=term");
    }

    @Test
    void everyEtcdGofailNameTheRobustnessSuiteUsesExists() {
        assertThat(Failpoints.NAMES).contains("raftBeforeSave", "raftAfterSave", "raftBeforeSaveSnap",
                "raftAfterSaveSnap", "raftBeforeApplySnap", "raftAfterApplySnap", "beforeCommit", "afterCommit",
                "compactBeforeCommitBatch", "compactAfterCommitBatch", "defragBeforeCopy", "defragBeforeRename");
    }

    @Test
    void theHttpEndpointArmsListsAndDisarms() throws Exception {
        HttpServer server = FailpointEndpoint.start(registry, new InetSocketAddress("127.0.0.1", 0));
        try {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";

            HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(base + "afterCommit"))
                    .PUT(HttpRequest.BodyPublishers.ofString("panic")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).isEqualTo(204);
            registry.reach("afterCommit");
            assertThat(crashes).containsExactly("afterCommit");

            HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(base)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(list.body().lines()).contains("afterCommit=panic", "beforeCommit=")
                    .hasSize(Failpoints.NAMES.size());

            HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(base + "nope"))
                    .PUT(HttpRequest.BodyPublishers.ofString("panic")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(unknown.statusCode()).isEqualTo(404);
            HttpResponse<String> badTerm = http.send(HttpRequest.newBuilder(URI.create(base + "afterCommit"))
                    .PUT(HttpRequest.BodyPublishers.ofString("return(1)")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(badTerm.statusCode()).isEqualTo(400);

            HttpResponse<String> delete = http.send(HttpRequest.newBuilder(URI.create(base + "afterCommit"))
                    .DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(delete.statusCode()).isEqualTo(204);
            assertThat(registry.term("afterCommit")).isEmpty();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void withoutTheEnvironmentFailpointsAreOff() {
        // The test JVM is not started with GOFAIL_*: hitting any point is a no-op.
        assertThat(Failpoints.ENABLED).isFalse();
        Failpoints.NAMES.forEach(Failpoints::hit);
    }
}
