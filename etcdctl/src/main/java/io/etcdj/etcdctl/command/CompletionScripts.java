package io.etcdj.etcdctl.command;

import io.etcdj.etcdctl.cli.Command;
import io.etcdj.etcdctl.cli.Invocation;

/**
 * {@code etcdctl completion bash|zsh}: scripts that ask {@code etcdctl __complete} (see
 * {@link io.etcdj.etcdctl.cli.Completion}) for the candidates at every TAB, as etcdctl 3.4.23's do,
 * so the commands and flags offered are always those of the etcdctl being run. Load one with
 * {@code source <(etcdctl completion bash)} (or zsh), or install it where the shell looks for
 * completions. fish and powershell are not written yet.
 */
final class CompletionScripts {
    private CompletionScripts() {
    }

    static final String BASH = """
            # bash completion for etcdctl                                  -*- shell-script -*-
            #
            # Load with: source <(etcdctl completion bash)
            # The candidates come from the etcdctl being completed: "etcdctl __completeNoDesc WORD... PARTIAL"
            # prints one per line, then ":<directive>" (4: offer nothing else; 0: file names may do).

            _etcdctl_completion()
            {
                local cur=${COMP_WORDS[COMP_CWORD]}
                local out directive line
                local -a candidates=()
                COMPREPLY=()
                out=$("${COMP_WORDS[0]}" __completeNoDesc "${COMP_WORDS[@]:1:COMP_CWORD-1}" "$cur" 2>/dev/null) || return 0
                directive=0
                while IFS= read -r line; do
                    case $line in
                        :*) directive=${line#:} ;;
                        ?*) candidates+=("$line") ;;
                    esac
                done <<< "$out"
                [[ $cur == "=" ]] && cur=""
                if (( ${#candidates[@]} > 0 )); then
                    local IFS=$'\\n'
                    COMPREPLY=($(compgen -W "${candidates[*]}" -- "$cur"))
                fi
                if (( ${#COMPREPLY[@]} == 0 && (directive & 4) == 0 )); then
                    local IFS=$'\\n'
                    COMPREPLY=($(compgen -f -- "$cur"))
                fi
                return 0
            }

            complete -F _etcdctl_completion etcdctl
            """;

    static final String ZSH = """
            #compdef etcdctl
            #
            # zsh completion for etcdctl
            # Load with: source <(etcdctl completion zsh), or put it in a directory of $fpath as _etcdctl.
            # The candidates come from the etcdctl being completed: "etcdctl __complete WORD... PARTIAL"
            # prints "candidate<TAB>description" lines, then ":<directive>" (4: offer nothing else).

            _etcdctl()
            {
                local out directive line
                local -a candidates
                out=$("${words[1]}" __complete "${(@)words[2,CURRENT]}" 2>/dev/null) || return 1
                directive=0
                for line in "${(@f)out}"; do
                    case $line in
                        :*) directive=${line#:} ;;
                        ?*) line=${line//:/\\\\:}; candidates+=("${line/$'\\t'/:}") ;;
                    esac
                done
                if (( ${#candidates} > 0 )); then
                    _describe 'etcdctl' candidates && return 0
                fi
                if (( (directive & 4) == 0 )); then
                    _files
                fi
            }

            if [[ "${funcstack[1]}" == "_etcdctl" ]]; then
                _etcdctl "$@"
            else
                compdef _etcdctl etcdctl
            fi
            """;

    static Command command() {
        Command c = new Command("completion", "Generate the autocompletion script for the specified shell",
                "Generate the autocompletion script for etcdctl for the specified shell.\n"
                        + "See each sub-command's help for details on how to use the generated script.\n", null);
        c.add(script("bash", BASH), Unsupported.shell("fish"), Unsupported.shell("powershell"), script("zsh", ZSH));
        return c;
    }

    private static Command script(String shell, String text) {
        String usage = "Prints a " + shell + " script that completes etcdctl's commands and flags.\n\n"
                + "Load it into the current shell with:\n\n\tsource <(etcdctl completion " + shell + ")\n"
                + (shell.equals("bash")
                        ? "\nor save it as /etc/bash_completion.d/etcdctl for every new shell.\n"
                        : "\nor save it as _etcdctl in a directory of $fpath for every new shell (compinit must be loaded).\n");
        Command s = new Command(shell, "Generate the autocompletion script for " + shell, usage, (Invocation inv) -> {
            inv.console().out().print(text);
        });
        s.flags().bool("no-descriptions", "", false, "disable completion descriptions");
        return s;
    }
}
