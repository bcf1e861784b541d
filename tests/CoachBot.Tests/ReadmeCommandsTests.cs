using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CoachBot.Tests;

/// <summary>
/// Every <c>coachbot</c> command the README shows, in code blocks and in running text, is run from the repository
/// root, and the output the README prints under a <c>$</c> line must appear in what it prints now: the README cannot
/// drift from the code. <c>dotnet run</c> lines run as written, with <c>--no-build</c> added (the test run has built it).
/// </summary>
public sealed partial class ReadmeCommandsTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));

    public static TheoryData<string> Commands() => [.. ReadmeCommand.All(Readme).Select(c => c.Line)];

    [Fact]
    public void The_readme_shows_the_commands_this_test_runs() =>
        // A parser that found nothing would make every row below vacuous.
        Assert.True(ReadmeCommand.All(Readme).Count >= 9, string.Join('\n', ReadmeCommand.All(Readme).Select(c => c.Line)));

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Every_command_in_the_readme_runs_and_prints_what_the_readme_shows(string line)
    {
        var command = ReadmeCommand.All(Readme).First(c => c.Line == line);
        var zip = Path.Combine(Repo.Root, "coachbot.zip");
        var zipExisted = File.Exists(zip);
        try
        {
            var result = await RunAsync(command.Arguments, Repo.Root);

            Assert.True(result.ExitCode is 0 or 1, $"{line}\nexit {result.ExitCode}\n{result.Stderr}");
            Assert.False(string.IsNullOrWhiteSpace(result.Stdout), $"{line} printed nothing");
            Assert.DoesNotContain("Using launch settings", result.Stdout, StringComparison.Ordinal);
            foreach (var expected in command.ExpectedOutput)
            {
                Assert.True(
                    Normalise(result.Stdout).Contains(expected, StringComparison.Ordinal),
                    $"{line}\nThe README shows: {expected}\nIt printed:\n{result.Stdout}");
            }
        }
        finally
        {
            if (!zipExisted)
            {
                File.Delete(zip);
            }
        }
    }

    [Fact]
    public async Task Through_dotnet_run_the_json_output_parses_and_relative_paths_mean_the_callers_folder()
    {
        var folder = Directory.CreateTempSubdirectory("coachbot-cwd-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "mine.tsv"), "id\ttext\tlabel\n1\tDo you have budget set aside?\tself_serving\n");
        var project = Path.Combine(Repo.Root, "src", "CoachBot");

        var json = await RunAsync(["dotnet", "run", "--no-build", "--project", project, "--no-launch-profile", "--", "check", "--format", "json", "Do you have budget?"], folder);
        var eval = await RunAsync(["dotnet", "run", "--no-build", "--project", project, "--no-launch-profile", "--", "eval", "mine.tsv"], folder);

        Assert.Equal("revise", JsonDocument.Parse(json.Stdout).RootElement.GetProperty("verdict").GetString());
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        Assert.Contains("self_serving", eval.Stdout, StringComparison.Ordinal);
    }

    private static string Normalise(string text) => Regex.Replace(text, @"\s+", " ");

    private static async Task<CoachBotProcess.Result> RunAsync(IReadOnlyList<string> arguments, string workingDirectory)
    {
        // "coachbot" is the built binary; "dotnet run" runs as written, without building again.
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        if (arguments[0] is "dotnet")
        {
            start.ArgumentList.Add(arguments[1]);
            start.ArgumentList.Add("--no-build");
            foreach (var argument in arguments.Skip(2).Where(a => a != "--no-build"))
            {
                start.ArgumentList.Add(argument);
            }
        }
        else
        {
            start.ArgumentList.Add(CoachBotProcess.Dll);
            foreach (var argument in arguments.Skip(1))
            {
                start.ArgumentList.Add(argument);
            }
        }

        start.Environment["Storage__DataDirectory"] = Directory.CreateTempSubdirectory("coachbot-readme-").FullName;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return new CoachBotProcess.Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>A command as the README writes it, its arguments, and the output lines it shows beneath a <c>$</c> line.</summary>
    private sealed partial record ReadmeCommand(string Line, IReadOnlyList<string> Arguments, IReadOnlyList<string> ExpectedOutput)
    {
        // Values the README leaves to the reader.
        private static readonly Dictionary<string, string> Placeholders = new(StringComparer.Ordinal)
        {
            ["<APP-ID>"] = "00000000-0000-4000-8000-0000000000aa",
            ["FOLDER"] = Directory.CreateTempSubdirectory("coachbot-readme-overrides-").FullName,
        };

        public static List<ReadmeCommand> All(string readme)
        {
            var commands = new List<ReadmeCommand>();
            var lines = readme.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (!lines[i].StartsWith("```", StringComparison.Ordinal))
                {
                    foreach (Match span in InlineCommand().Matches(lines[i]))
                    {
                        Add(commands, span.Groups["command"].Value, []);
                    }

                    continue;
                }

                // A fenced block: commands, and under a "$ " command the output it shows until the next command.
                for (i++; i < lines.Length && !lines[i].StartsWith("```", StringComparison.Ordinal); i++)
                {
                    var prompted = lines[i].StartsWith("$ ", StringComparison.Ordinal);
                    var text = prompted ? lines[i][2..] : lines[i];
                    var output = new List<string>();
                    if (prompted)
                    {
                        while (i + 1 < lines.Length && !lines[i + 1].StartsWith("```", StringComparison.Ordinal) && !lines[i + 1].StartsWith("$ ", StringComparison.Ordinal))
                        {
                            // "..." marks where the README cuts a line short: what comes before it must be printed.
                            var shown = Regex.Replace(lines[++i].Split("...")[0], @"\s+", " ").Trim();
                            if (shown.Length > 0)
                            {
                                output.Add(shown);
                            }
                        }
                    }

                    Add(commands, text.Split("  #")[0].Trim(), output);
                }
            }

            return commands;
        }

        private static void Add(List<ReadmeCommand> commands, string line, List<string> output)
        {
            if (ShellSyntax().IsMatch(Placeholders.Keys.Aggregate(line, (l, p) => l.Replace(p, "x", StringComparison.Ordinal)))
                || line.Contains("<command>", StringComparison.Ordinal))
            {
                // Pipelines and redirections are benchmarks and set-up steps, not examples of a command's output.
                return;
            }

            var words = Split(line);
            List<string> arguments;
            if (words is ["coachbot" or "out/coachbot", _, ..])
            {
                arguments = ["coachbot", .. words.Skip(1)];
            }
            else if (words is ["dotnet", "run", ..] && words.Contains("src/CoachBot") && words.IndexOf("--") is var dashes and >= 0
                     && dashes + 1 < words.Count && !words[dashes + 1].StartsWith('-'))
            {
                // A command through dotnet run must skip the launch profile, or dotnet's own line leads its output.
                Assert.True(words.Contains("--no-launch-profile"), $"The README runs a command through dotnet run with the launch profile: {line}");
                arguments = words;
            }
            else
            {
                // The host itself (no command), other projects' tools: not commands of ours.
                return;
            }

            if (!commands.Any(c => c.Line == line))
            {
                commands.Add(new ReadmeCommand(line, arguments.Select(a => Placeholders.GetValueOrDefault(a, a)).ToList(), output));
            }
        }

        private static List<string> Split(string line)
        {
            var words = new List<string>();
            var word = new StringBuilder();
            char? quote = null;
            var inWord = false;
            foreach (var c in line)
            {
                if (quote is { } q)
                {
                    if (c == q)
                    {
                        quote = null;
                    }
                    else
                    {
                        word.Append(c);
                    }
                }
                else if (c is '"' or '\'')
                {
                    quote = c;
                    inWord = true;
                }
                else if (char.IsWhiteSpace(c))
                {
                    if (inWord)
                    {
                        words.Add(word.ToString());
                        word.Clear();
                        inWord = false;
                    }
                }
                else
                {
                    word.Append(c);
                    inWord = true;
                }
            }

            if (inWord)
            {
                words.Add(word.ToString());
            }

            return words;
        }

        [GeneratedRegex(@"`(?<command>(?:coachbot|dotnet run --project src/CoachBot)\s[^`]+)`")]
        private static partial Regex InlineCommand();

        [GeneratedRegex(@"(\||&&|[<>]|^time |^taskset |\$\()")]
        private static partial Regex ShellSyntax();
    }
}
