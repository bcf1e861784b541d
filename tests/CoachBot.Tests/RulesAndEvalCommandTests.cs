using System.Globalization;
using System.Text.RegularExpressions;

namespace CoachBot.Tests;

public sealed partial class RulesAndEvalCommandTests
{
    [Fact]
    public async Task Rules_test_runs_every_default_example_and_passes()
    {
        var result = await CoachBotProcess.RunAsync("rules", "test");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Matches(@"\d+ rules, \d+ examples, all passed\.", result.Stdout);
    }

    [Fact]
    public async Task Rules_test_checks_the_configured_overrides_the_bot_would_load()
    {
        var folder = Directory.CreateTempSubdirectory("coachbot-rules-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "org.yaml"), "disable_rules: [self-serving.nope]\n");
            var environment = new Dictionary<string, string> { ["Coaching__OverridesPath"] = folder };

            var configured = await CoachBotProcess.RunAsync(["rules", "test"], null, environment);
            var option = await CoachBotProcess.RunAsync("rules", "test", "--overrides", folder);

            Assert.Equal(3, configured.ExitCode);
            Assert.Contains("disable_rules", configured.Stderr, StringComparison.Ordinal);
            Assert.Equal(3, option.ExitCode);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Rules_list_names_every_pack()
    {
        var result = await CoachBotProcess.RunAsync("rules", "list");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("self-serving.budget", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("call-goals (", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_scores_a_labelled_file_and_lists_the_misses()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "id\ttext\tlabel\n" +
                "a\tDo you have budget for this?\tself_serving\n" +
                "b\tWhat happens to your margins if returns keep rising?\tgood\n" +
                "c\tCalling Acme to touch base.\tno_goal\n");

            var result = await CoachBotProcess.RunAsync("eval", file);

            Assert.Equal(0, result.ExitCode);
            Assert.Matches(@"self_serving\s+1\s+1\.000\s+1\.000\s+1\.000", result.Stdout);
            Assert.Matches(@"no_goal\s+1\s+1\.000\s+1\.000\s+1\.000", result.Stdout);
            Assert.Contains("Misses (0):", result.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Eval_refuses_a_file_without_the_header()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "Do you have budget?\tself_serving\n");

            var result = await CoachBotProcess.RunAsync("eval", file);

            Assert.Equal(2, result.ExitCode);
            Assert.Contains("header", result.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Eval_reports_each_file_apart_with_odd_and_even_ids_and_leaves_ambiguous_rows_out()
    {
        var questions = Path.GetTempFileName();
        var notes = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(questions, "id\ttext\tlabel\n" +
                "q1\tDo you have budget for this?\tself_serving\n" +
                "q2\tWho signs off on purchases like this?\tself_serving\n" +
                "q3\tWhat happens to your margins if returns keep rising?\tgood\n" +
                "q4\tHow does your team handle returns today?\tgood\n" +
                "q5\tWould Tuesday or Thursday suit you?\tambiguous\n");
            await File.WriteAllTextAsync(notes, "id\ttext\tlabel\n" +
                "n1\tCalling Acme to touch base.\tno_goal\n" +
                "n2\tCall Acme: goal is for Dana to book a pilot by Friday.\thas_goal\n");

            var result = await CoachBotProcess.RunAsync("eval", questions, notes);

            Assert.Equal(0, result.ExitCode);
            Assert.Contains($"=== {Path.GetFileName(questions)}", result.Stdout, StringComparison.Ordinal);
            Assert.Contains($"=== {Path.GetFileName(notes)}", result.Stdout, StringComparison.Ordinal);
            Assert.Contains("4 scored rows, 1 ambiguous left out", result.Stdout, StringComparison.Ordinal);
            Assert.Matches(@"self_serving\s+1\s+1\.000\s+1\.000\s+1\s+1\.000\s+1\.000", result.Stdout);
            Assert.Contains("good questions praised 2/2", result.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(questions);
            File.Delete(notes);
        }
    }

    [Fact]
    public async Task Eval_with_folds_scores_the_learned_model_on_rows_it_was_not_trained_on()
    {
        var path = Path.Combine(Repo.Shared, "devset", "questions.tsv");

        var result = await CoachBotProcess.RunAsync("eval", path, "--folds", "5");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("5-fold cross-validation", result.Stdout, StringComparison.Ordinal);
        for (var fold = 1; fold <= 5; fold++)
        {
            Assert.Matches($@"(?m)^  {fold}\s+self_serving\s+8\s", result.Stdout);
        }

        Assert.Matches(@"(?m)^  all\s+self_serving\s+40\s", result.Stdout);
    }

    [Fact]
    public async Task Train_reproduces_the_checked_in_weights_from_the_labelled_files()
    {
        var devset = Path.Combine(Repo.Shared, "devset");
        var output = Path.GetTempFileName();
        try
        {
            var result = await CoachBotProcess.RunAsync("train",
                Path.Combine(devset, "questions.tsv"), Path.Combine(devset, "call_notes.tsv"),
                Path.Combine(devset, "public-questions.tsv"), Path.Combine(devset, "public-call-notes.tsv"), "--out", output);

            Assert.True(result.ExitCode == 0, result.Stderr);
            var checkedIn = await File.ReadAllTextAsync(Path.Combine(Repo.Root, "src", "CoachBot.Coaching", "Learned", "second-opinion.json"));
            Assert.True(checkedIn == await File.ReadAllTextAsync(output),
                "The checked-in weights differ from a fresh `coachbot train`: retrain after changing the rules or the data (README, \"The learned second opinion\").");
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Theory]
    [InlineData("questions.tsv", "self_serving")]
    [InlineData("call_notes.tsv", "no_goal")]
    public async Task Reaches_090_precision_and_recall_on_the_dev_set(string file, string label)
    {
        var path = Path.Combine(Repo.Shared, "devset", file);
        Assert.True(File.Exists(path), $"The dev set is expected beside the repository at {path}");

        await AssertScoresAsync(path, label);
    }

    // Sets written apart from the rules (tests/CoachBot.Tests/Data): a floor against rules that fit only the dev set.
    [Theory]
    [InlineData("holdout_questions.tsv", "self_serving")]
    [InlineData("holdout_call_notes.tsv", "no_goal")]
    [InlineData("final_questions.tsv", "self_serving")]
    [InlineData("final_call_notes.tsv", "no_goal")]
    public async Task Reaches_090_precision_and_recall_on_sets_written_apart_from_the_rules(string file, string label) =>
        await AssertScoresAsync(Path.Combine(Repo.Root, "tests", "CoachBot.Tests", "Data", file), label);

    private static async Task AssertScoresAsync(string path, string label)
    {
        var result = await CoachBotProcess.RunAsync("eval", path);

        var row = ScoreRow().Matches(result.Stdout).Single(m => m.Groups["label"].Value == label);
        var precision = double.Parse(row.Groups["p"].Value, CultureInfo.InvariantCulture);
        var recall = double.Parse(row.Groups["r"].Value, CultureInfo.InvariantCulture);
        Assert.True(precision >= 0.9 && recall >= 0.9, $"{label}: precision {precision}, recall {recall}\n{result.Stdout}");
    }

    [GeneratedRegex(@"^(?<label>\w+)\s+\d+\s+(?<p>[\d.]+)\s+(?<r>[\d.]+)\s+[\d.]+\s*$", RegexOptions.Multiline)]
    private static partial Regex ScoreRow();
}
