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
 * candidates its completion scripts offer); fish, given etcdctl's script and ours, offers the same
 * completions; the scripts of {@code etcdctl completion bash|zsh} are valid and, driven by bash as
 * a TAB would drive them, complete command and flag names; {@code --no-descriptions} and
 * {@code --help} of each {@code completion} subcommand behave as etcdctl's.
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
                List.of("__complete", "completion", ""),
                List.of("__complete", "--write-out="),
                List.of("__complete", "get", "--prefix="),
                List.of("__complete", "-w="),
                List.of("__complete", "--nosuch="),
                List.of("__complete", "member", "list", "--nosuch=x"));
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

    /** Command lines typed before a TAB, for fish to complete (run where a.txt, b.log and sub/ are). */
    private static final List<String> FISH_LINES = List.of("etcdctl ", "etcdctl mem", "etcdctl member ",
            "etcdctl get --pr", "etcdctl --endpoints=x l", "etcdctl -w json get --ke", "etcdctl get k ",
            "etcdctl get a", "etcdctl nosuch ", "etcdctl --write-out=", "etcdctl --endpoints ",
            "etcdctl --endpoints=x --w", "etcdctl lease gr", "etcdctl completion ", "etcdctl snapshot restore ");

    @Test
    void fishCompletesWithOurScriptAsWithEtcdctls() throws Exception {
        assertThat(bash("command -v fish").code())
                .as("fish must be installed (test-all installs Debian's fish) to compare the fish scripts").isZero();
        Path cwd = Files.createDirectories(dir.resolve("cwd"));
        Files.writeString(cwd.resolve("a.txt"), "");
        Files.writeString(cwd.resolve("b.log"), "");
        Files.createDirectories(cwd.resolve("sub"));
        Path refBin = Files.createDirectories(dir.resolve("ref-bin"));
        Files.createSymbolicLink(refBin.resolve("etcdctl"), Path.of("/usr/bin/etcdctl"));
        Path ourBin = Files.createDirectories(dir.resolve("our-bin"));
        Files.move(launcher(), ourBin.resolve("etcdctl"));
        for (List<String> flags : List.of(List.<String>of(), List.of("--no-descriptions"))) {
            List<String> generate = new ArrayList<>(List.of("completion", "fish"));
            generate.addAll(flags);
            Path refScript = dir.resolve("ref.fish");
            Path ourScript = dir.resolve("our.fish");
            Files.writeString(refScript, ToolRun.reference(generate, Map.of(), "").stdout());
            Files.writeString(ourScript, ToolRun.ours(generate, Map.of(), "").stdout());
            for (String line : FISH_LINES) {
                ToolRun ref = fishComplete(cwd, refBin, refScript, line);
                ToolRun ours = fishComplete(cwd, ourBin, ourScript, line);
                assertThat(ref.stdout()).as("etcdctl's completions of \"%s\" %s", line, flags).isNotEmpty();
                assertThat(ours).as("fish completing \"%s\" %s", line, flags).hasToString(ref.toString());
            }
        }
    }

    /** What fish offers for {@code line} with {@code script} loaded and {@code bin}'s etcdctl first on the PATH. */
    private static ToolRun fishComplete(Path cwd, Path bin, Path script, String line) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("fish", "--no-config", "-c",
                "source " + quote(script.toString()) + "; complete -C" + quote(line)).directory(cwd.toFile());
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        return run(pb, "fish: " + line);
    }

    @Test
    void noDescriptionsAsksForCandidatesWithoutDescriptionsAsEtcdctlsScriptsDo() throws Exception {
        for (String shell : List.of("bash", "fish", "powershell", "zsh")) {
            String refWith = ToolRun.reference(List.of("completion", shell), Map.of(), "").stdout();
            String refWithout = ToolRun.reference(List.of("completion", shell, "--no-descriptions"), Map.of(), "").stdout();
            assertThat(refWithout).as("etcdctl's %s script", shell).isEqualTo(refWith.replace("__complete ", "__completeNoDesc "));
            String with = ToolRun.ours(List.of("completion", shell), Map.of(), "").stdout();
            String without = ToolRun.ours(List.of("completion", shell, "--no-descriptions"), Map.of(), "").stdout();
            assertThat(with).as("our %s script", shell).startsWith("#").contains(" __complete ").doesNotContain("__completeNoDesc");
            assertThat(without).as("our %s script --no-descriptions", shell).isEqualTo(with.replace("__complete ", "__completeNoDesc "));
        }
    }

    @Test
    void helpOfEachCompletionCommandIsEtcdctlsBarItsDescription() throws Exception {
        for (List<String> args : List.of(List.of("completion", "--help"), List.of("completion", "bash", "--help"),
                List.of("completion", "fish", "-h"), List.of("completion", "powershell", "--help"),
                List.of("completion", "zsh", "--help"), List.of("completion", "bash", "--nosuch"))) {
            ToolRun ref = ToolRun.reference(args, Map.of(), "");
            ToolRun ours = ToolRun.ours(args, Map.of(), "");
            assertThat(withoutDescription(ours.toString())).as("etcdctl %s", args).isEqualTo(withoutDescription(ref.toString()));
        }
    }

    /** A help page without its DESCRIPTION section (our words, not etcdctl's). */
    private static String withoutDescription(String help) {
        return help.replaceAll("(?s)\nDESCRIPTION:\n.*?\n\n", "\n");
    }

    @Test
    void theBashScriptShowsDescriptionsOnlyWhenThereIsAChoiceAndNotWhenToldNot() throws Exception {
        String etcdctl = launcher().toString();
        Path script = dir.resolve("etcdctl.bash");
        Files.writeString(script, ToolRun.ours(List.of("completion", "bash"), Map.of(), "").stdout());
        assertThat(complete(script, etcdctl, "get", "--pr")).isEqualTo(
                "--prefix            (Get keys with matching prefix)\n"
                        + "--print-value-only  (Only write values when using the \"simple\" output format)\n");
        assertThat(complete(script, etcdctl, "get", "--pre")).isEqualTo("--prefix\n");
        Files.writeString(script, ToolRun.ours(List.of("completion", "bash", "--no-descriptions"), Map.of(), "").stdout());
        assertThat(complete(script, etcdctl, "get", "--pr")).isEqualTo("--prefix\n--print-value-only\n");
    }

    @Test
    void thePowershellScriptRegistersANativeCompleterForEtcdctl() throws Exception {
        // No PowerShell on Debian to run it; what it asks etcdctl is covered by completeAnswersAsEtcdctls
        // (an empty last word included), here only that it is the script and registers itself.
        String ps = ToolRun.ours(List.of("completion", "powershell"), Map.of(), "").stdout();
        assertThat(ps).startsWith("# powershell completion for etcdctl\n")
                .contains("Register-ArgumentCompleter -Native -CommandName 'etcdctl'")
                .contains("& $Program __complete @Typed $Partial");
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
        ToolRun r = bash("COLUMNS=80; source " + script + "; " + words + " _etcdctl_completion; printf '%s\\n' \"${COMPREPLY[@]}\"");
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
        return run(new ProcessBuilder("bash", "-c", command), command);
    }

    private static ToolRun run(ProcessBuilder pb, String what) throws Exception {
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("did not finish: " + what);
        }
        return new ToolRun(new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8), p.exitValue());
    }
}
