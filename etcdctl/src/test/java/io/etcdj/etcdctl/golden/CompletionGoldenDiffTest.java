package io.etcdj.etcdctl.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shell completion: {@code etcdctl __complete} answers as Debian's etcdctl 3.4.23 does (the
 * candidates its completion scripts offer), and the scripts of {@code etcdctl completion bash|zsh}
 * are valid and, driven by bash as a TAB would drive them, complete command and flag names.
 */
class CompletionGoldenDiffTest {
    @TempDir
    Path dir;

    @Test
    void completeAnswersAsEtcdctls() throws Exception {
        List<List<String>> requests = List.of(
                List.of("__complete", ""),
                List.of("__complete", "mem"),
                List.of("__complete", "member", ""),
                List.of("__completeNoDesc", "member", ""),
                List.of("__complete", "member", "list", "--w"),
                List.of("__complete", "get", "--pr"),
                List.of("__complete", "-w", "json", "get", "--ke"),
                List.of("__complete", "--endpoints", "x", "mem"),
                List.of("__complete", "--endpoints=x", "l"),
                List.of("__complete", "get", "k", ""),
                List.of("__complete", "lease", "gr"),
                List.of("__complete", "completion", ""));
        for (List<String> args : requests) {
            ToolRun ref = ToolRun.reference(args, Map.of(), "");
            ToolRun ours = ToolRun.ours(args, Map.of(), "");
            assertThat(ours).as("etcdctl %s", args).hasToString(ref.toString());
        }
    }

    @Test
    void theBashScriptCompletesCommandsAndFlags() throws Exception {
        Path script = dir.resolve("etcdctl.bash");
        Files.writeString(script, ToolRun.ours(List.of("completion", "bash"), Map.of(), "").stdout());
        assertThat(bash("bash -n " + script).code()).isZero();
        String etcdctl = launcher().toString();
        assertThat(complete(script, etcdctl, "mem")).isEqualTo("member\n");
        assertThat(complete(script, etcdctl, "member", "l")).isEqualTo("list\n");
        assertThat(complete(script, etcdctl, "get", "--pre")).isEqualTo("--prefix\n");
        assertThat(complete(script, etcdctl, "--endpoints", "=", "127.0.0.1:2379", "ver")).isEqualTo("version\n");
        assertThat(complete(script, etcdctl, "nosuch")).isEmpty();
    }

    @Test
    void theZshScriptIsGeneratedWithItsCompdefHeader() throws Exception {
        String zsh = ToolRun.ours(List.of("completion", "zsh"), Map.of(), "").stdout();
        assertThat(zsh).startsWith("#compdef etcdctl\n").contains("__complete").contains("compdef _etcdctl etcdctl");
        if (bash("command -v zsh").code() == 0) { // not installed everywhere
            Path script = dir.resolve("_etcdctl");
            Files.writeString(script, zsh);
            assertThat(bash("zsh -n " + script).code()).isZero();
        }
    }

    /** What the completion function puts in COMPREPLY for the words typed so far (the last one is being completed). */
    private String complete(Path script, String etcdctl, String... typed) throws Exception {
        StringBuilder words = new StringBuilder("COMP_WORDS=(" + quote(etcdctl));
        for (String w : typed) {
            words.append(' ').append(quote(w));
        }
        words.append("); COMP_CWORD=").append(typed.length).append(';');
        ToolRun r = bash("source " + script + "; " + words + " _etcdctl_completion; printf '%s\\n' \"${COMPREPLY[@]}\"");
        assertThat(r.code()).as(r.toString()).isZero();
        return r.stdout().equals("\n") ? "" : r.stdout();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** A shell launcher for our etcdctl over this test's classpath. */
    private Path launcher() throws Exception {
        Path p = dir.resolve("etcdctl");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(p, "#!/bin/sh\nexec " + quote(java) + " -cp " + quote(System.getProperty("java.class.path"))
                + " io.etcdj.etcdctl.EtcdctlMain \"$@\"\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    private static ToolRun bash(String command) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", command).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bash did not finish: " + command);
        }
        return new ToolRun(new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8), p.exitValue());
    }
}
