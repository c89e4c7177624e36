package io.etcdj.etcdctl.cli;

/**
 * {@code etcdctl completion bash|fish|powershell|zsh} (and etcdutl's): scripts that ask the program
 * being completed ({@code etcdctl __complete}, see {@link Completion}) for the candidates at every
 * TAB, as etcdctl 3.4.23's do, so the commands and flags offered are always those of the program
 * being run. The scripts are written for etcdctl; {@link #text} puts another program's name in its
 * place. Each script names its request as {@value #REQUEST}; {@code --no-descriptions} makes it ask
 * {@code __completeNoDesc} instead (candidates without their descriptions), as etcdctl's does.
 */
public final class CompletionScripts {
    private CompletionScripts() {
    }

    /** Where a script names its request; replaced by {@code __complete} or {@code __completeNoDesc}. */
    static final String REQUEST = "@REQUEST@";

    static final String BASH = """
            # bash completion for etcdctl                                  -*- shell-script -*-
            #
            # Load with: source <(etcdctl completion bash)
            # The candidates come from the etcdctl being completed: "etcdctl @REQUEST@ WORD... PARTIAL"
            # prints one per line ("candidate<TAB>description" for __complete), then ":<directive>"
            # (4: offer nothing else; 0: file names may do).

            _etcdctl_completion()
            {
                local cur=${COMP_WORDS[COMP_CWORD]}
                local out directive line name
                local -a descriptions=()
                local width=0 i
                COMPREPLY=()
                out=$("${COMP_WORDS[0]}" @REQUEST@ "${COMP_WORDS[@]:1:COMP_CWORD-1}" "$cur" 2>/dev/null) || return 0
                [[ $cur == "=" ]] && cur=""
                directive=0
                while IFS= read -r line; do
                    case $line in
                        :*) directive=${line#:} ;;
                        ?*) name=${line%%$'\\t'*}
                            [[ $name == "$cur"* ]] || continue
                            COMPREPLY+=("$name")
                            if [[ $line == *$'\\t'* ]]; then descriptions+=("${line#*$'\\t'}"); else descriptions+=(""); fi
                            (( ${#name} > width )) && width=${#name} ;;
                    esac
                done <<< "$out"
                # Several candidates: each with its description in parentheses, aligned, cut to the terminal's width.
                if (( ${#COMPREPLY[@]} > 1 )); then
                    local room=$(( ${COLUMNS:-80} - width - 4 )) description
                    for i in "${!COMPREPLY[@]}"; do
                        description=${descriptions[i]}
                        [[ -z $description ]] && continue
                        (( room > 0 )) || continue
                        (( ${#description} > room )) && description="${description:0:room-1}…"
                        printf -v "COMPREPLY[$i]" '%-*s  (%s)' "$width" "${COMPREPLY[i]}" "$description"
                    done
                fi
                if (( ${#COMPREPLY[@]} == 0 && (directive & 4) == 0 )); then
                    local IFS=$'\\n'
                    COMPREPLY=($(compgen -f -- "$cur"))
                fi
                return 0
            }

            complete -F _etcdctl_completion etcdctl
            """;

    static final String FISH = """
            # fish completion for etcdctl
            #
            # Load with: etcdctl completion fish | source
            # The candidates come from the etcdctl being completed: "etcdctl @REQUEST@ WORD... PARTIAL"
            # prints one per line ("candidate<TAB>description" for __complete), then ":<directive>"
            # (bit 1: an error; bit 4: offer nothing else; 0: file names may do).

            # Asks etcdctl for the candidates of the word under the cursor and keeps them in
            # $__etcdctl_candidates; fails, so that fish offers file names, when there are none and
            # file names may do.
            function __etcdctl_ask_etcdctl
                set --global __etcdctl_candidates
                set -l words (commandline -opc)
                set -l partial (commandline -ct)
                set -l out ($words[1] @REQUEST@ $words[2..-1] "$partial" 2>/dev/null)
                while test (count $out) -gt 0; and test -z (string trim -- "$out[-1]")
                    set -e out[-1]
                end
                set -l directive (string replace -r -- '^:' '' "$out[-1]")
                if test (count $out) -eq 0; or not string match -qr -- '^[0-9]+$' "$directive"
                    return 1
                end
                if test (math "bitand($directive, 1)") -ne 0
                    return 1
                end
                # fish completes "--flag=value" as one word: the candidates must carry the "--flag=".
                set -l flag (string match -r -- '^-.*=' "$partial")
                for candidate in $out[1..-2]
                    set --global --append __etcdctl_candidates "$flag$candidate"
                end
                if test (math "bitand($directive, 4)") -eq 0
                    set -l prefix (string escape --style=regex -- "$partial")
                    set --global __etcdctl_candidates (string match -r -- "^$prefix.*" $__etcdctl_candidates)
                    test (count $__etcdctl_candidates) -gt 0
                    return
                end
                return 0
            end

            complete -c etcdctl -e
            complete -c etcdctl -n __etcdctl_ask_etcdctl -f -a '$__etcdctl_candidates'
            """;

    static final String POWERSHELL = """
            # powershell completion for etcdctl
            #
            # Load with: etcdctl completion powershell | Out-String | Invoke-Expression
            # The candidates come from the etcdctl being completed: "etcdctl @REQUEST@ WORD... PARTIAL"
            # prints one per line ("candidate<TAB>description" for __complete), then ":<directive>"
            # (bit 1: an error; bit 4: offer nothing else; 0: file names may do).

            Register-ArgumentCompleter -Native -CommandName 'etcdctl' -ScriptBlock {
                param($WordToComplete, $CommandAst, $CursorPosition)

                # The words before the one under the cursor; the first one names the etcdctl to ask.
                $Words = @($CommandAst.CommandElements | Where-Object { $_.Extent.EndOffset -lt $CursorPosition } | ForEach-Object {
                    if ($_ -is [System.Management.Automation.Language.StringConstantExpressionAst]) { $_.Value } else { $_.Extent.Text }
                })
                $Program = $Words[0]
                $Typed = @($Words | Select-Object -Skip 1)
                $Partial = $WordToComplete
                if ($Partial -eq '' -and ($PSVersionTable.PSVersion -lt [version]'7.3' -or $PSNativeCommandArgumentPassing -eq 'Legacy')) {
                    $Partial = '""' # these versions drop an empty argument to a native program; quoted, it arrives empty
                }
                $Out = @(& $Program @REQUEST@ @Typed $Partial 2>$null)

                $Directive = 0
                if ($Out.Count -gt 0 -and $Out[-1] -match '^:(\\d+)$') {
                    $Directive = [int]$Matches[1]
                    $Out = @($Out | Select-Object -SkipLast 1)
                }
                if (($Directive -band 1) -ne 0) {
                    return
                }
                $Results = @($Out | Where-Object { $_ -ne '' } | ForEach-Object {
                    $Name, $Description = $_ -split "`t", 2
                    if ($Name.StartsWith($WordToComplete)) {
                        if (-not $Description) { $Description = $Name } # a tooltip may not be empty
                        [System.Management.Automation.CompletionResult]::new($Name, $Name, 'ParameterValue', $Description)
                    }
                })
                if ($Results.Count -eq 0 -and ($Directive -band 4) -ne 0) {
                    return '' # nothing to offer, and no file names either: an empty answer keeps PowerShell from listing files
                }
                $Results
            }
            """;

    static final String ZSH = """
            #compdef etcdctl
            #
            # zsh completion for etcdctl
            # Load with: source <(etcdctl completion zsh), or put it in a directory of $fpath as _etcdctl.
            # The candidates come from the etcdctl being completed: "etcdctl @REQUEST@ WORD... PARTIAL"
            # prints one per line ("candidate<TAB>description" for __complete), then ":<directive>"
            # (4: offer nothing else).

            _etcdctl()
            {
                local out directive line
                local -a candidates
                out=$("${words[1]}" @REQUEST@ "${(@)words[2,CURRENT]}" 2>/dev/null) || return 1
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

    /** etcdctl's {@code completion} command with its four shells. */
    public static Command command() {
        Command c = new Command("completion", "Generate the autocompletion script for the specified shell",
                "Generate the autocompletion script for etcdctl for the specified shell.\n"
                        + "See each sub-command's help for details on how to use the generated script.\n", null);
        c.add(script("bash", BASH, "source <(etcdctl completion bash)",
                        "or save it as /etc/bash_completion.d/etcdctl for every new shell.").withoutFlagsInUseLine(),
                script("fish", FISH, "etcdctl completion fish | source",
                        "or save it as ~/.config/fish/completions/etcdctl.fish for every new shell."),
                script("powershell", POWERSHELL, "etcdctl completion powershell | Out-String | Invoke-Expression",
                        "or add that line to your PowerShell profile for every new shell."),
                script("zsh", ZSH, "source <(etcdctl completion zsh)",
                        "or save it as _etcdctl in a directory of $fpath for every new shell (compinit must be loaded)."));
        return c;
    }

    /** The script for a shell as etcdctl's {@code completion <shell>} prints it. */
    static String text(String script, boolean descriptions) {
        return script.replace(REQUEST, descriptions ? "__complete" : "__completeNoDesc");
    }

    /**
     * The script that completes {@code program} (a name like etcdctl's, answering {@code __complete}
     * as {@link Completion} does) in {@code shell}: bash, fish, powershell or zsh.
     */
    public static String text(String program, String shell, boolean descriptions) {
        String script = switch (shell) {
            case "bash" -> BASH;
            case "fish" -> FISH;
            case "powershell" -> POWERSHELL;
            case "zsh" -> ZSH;
            default -> throw new IllegalArgumentException("no completion script for " + shell);
        };
        return text(script, descriptions).replace("etcdctl", program);
    }

    private static Command script(String shell, String script, String loadNow, String loadAlways) {
        String usage = "Prints a " + shell + " script that completes etcdctl's commands and flags.\n\n"
                + "Load it into the current shell with:\n\n\t" + loadNow + "\n\n" + loadAlways + "\n";
        Command s = new Command(shell, "Generate the autocompletion script for " + shell, usage, (Invocation inv) -> {
            inv.console().out().print(text(script, !inv.bool("no-descriptions")));
        });
        s.flags().bool("no-descriptions", "", false, "disable completion descriptions");
        return s;
    }
}
