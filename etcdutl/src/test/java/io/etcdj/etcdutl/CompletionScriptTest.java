package io.etcdj.etcdutl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code etcdutl completion <shell>} prints a script that completes etcdutl (not etcdctl) by asking
 * it {@code __complete}, and etcdutl answers from its own commands, hidden ones left out.
 */
class CompletionScriptTest {
    private record Run(int code, String out) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = EtcdutlMain.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void eachShellsScriptCompletesEtcdutl() {
        assertThat(run("completion", "bash").out()).contains("complete -F _etcdutl_completion etcdutl")
                .contains("__complete").doesNotContain("etcdctl");
        assertThat(run("completion", "zsh", "--no-descriptions").out()).startsWith("#compdef etcdutl")
                .contains("__completeNoDesc");
        for (String shell : List.of("fish", "powershell")) {
            Run r = run("completion", shell);
            assertThat(r.code()).isZero();
            assertThat(r.out()).contains("etcdutl").doesNotContain("etcdctl");
        }
    }

    @Test
    void candidatesComeFromEtcdutlsOwnCommands() {
        assertThat(run("__complete", "sn").out()).isEqualTo("snapshot\tManages etcd node snapshots\n:4\n");
        assertThat(run("__completeNoDesc", "snapshot", "").out()).isEqualTo("restore\nstatus\n:4\n");
        assertThat(run("__complete", "h").out()).as("hashkv is hidden").doesNotContain("hashkv");
    }
}
