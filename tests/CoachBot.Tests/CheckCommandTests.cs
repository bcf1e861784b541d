using System.Text.Json;

namespace CoachBot.Tests;

public sealed class CheckCommandTests
{
    [Fact]
    public async Task Exits_1_and_explains_when_a_question_serves_the_seller()
    {
        var result = await CoachBotProcess.RunAsync("check", "What does your purchasing process look like?");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("verdict: revise", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Why it matters:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Ask yourself:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Try:", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exits_0_and_praises_a_good_question()
    {
        var result = await CoachBotProcess.RunAsync("check", "What's the cost of leaving things as they are for another year?");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("What's working:", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_the_text_from_standard_input_when_none_is_given()
    {
        var result = await CoachBotProcess.RunAsync(["check", "--format", "json"], "Calling Acme tomorrow to check in.\n");

        Assert.Equal(1, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Stdout);
        Assert.Equal("call_note", doc.RootElement.GetProperty("kind").GetString());
        Assert.Equal("revise", doc.RootElement.GetProperty("verdict").GetString());
        Assert.NotEmpty(doc.RootElement.GetProperty("points").EnumerateArray());
    }

    [Fact]
    public async Task Lines_mode_writes_one_contract_object_per_input_line_in_order()
    {
        string[] lines =
        [
            "Do you have budget set aside for this quarter?",
            "What happens downstream when a shipment is late?",
            "Calling Dana tomorrow to check in.",
            "",
            "Call Dana: goal is to get her agreement to a pilot in two stores starting in March.",
        ];

        var result = await CoachBotProcess.RunAsync(["check", "--lines", "--format", "jsonl"], string.Join('\n', lines) + "\n");

        var output = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(lines.Length, output.Count);
        Assert.Equal(lines, output.Select(o => o.GetProperty("text").GetString()));
        Assert.Equal(["revise", "ok", "revise", null, "ok"], output.Select(o => o.TryGetProperty("verdict", out var v) ? v.GetString() : null));
        Assert.Equal(["question", "question", "call_note", null, "call_note"], output.Select(o => o.TryGetProperty("kind", out var k) ? k.GetString() : null));
        Assert.True(output[3].TryGetProperty("error", out _), "an empty line gets an error object, so output stays one line per input line");

        var finding = output[0].GetProperty("findings")[0];
        Assert.Equal(
            ["rule", "category", "level", "confidence", "message", "ask", "suggestion"],
            finding.EnumerateObject().Select(p => p.Name));
        Assert.Equal("self-serving", finding.GetProperty("category").GetString());
        Assert.Contains(output[2].GetProperty("findings").EnumerateArray(), f => f.GetProperty("category").GetString() == "continuation-goal");
        Assert.Equal(2, result.ExitCode);
    }

    [Theory]
    [InlineData("", "no text")]
    [InlineData("   ", "no text")]
    public async Task Empty_text_is_a_usage_error_with_a_clear_message(string text, string expected)
    {
        var result = await CoachBotProcess.RunAsync("check", text);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_over_4000_characters_is_refused_with_exit_2()
    {
        var result = await CoachBotProcess.RunAsync("check", new string('x', 4001) + "?");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("4,000", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Binary_junk_on_standard_input_is_refused_with_exit_2()
    {
        var junk = new string(Enumerable.Range(0, 300).Select(i => (char)(i % 9)).ToArray());

        var result = await CoachBotProcess.RunAsync(["check"], junk);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("doesn't look like text", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("check", "--format", "xml", "x")]
    [InlineData("check", "--nope", "x", "y")]
    [InlineData("frobnicate", "x", "y", "z")]
    public async Task A_bad_command_line_is_a_usage_error(string a, string b, string c, string d)
    {
        var result = await CoachBotProcess.RunAsync(a, b, c, d);

        Assert.Equal(2, result.ExitCode);
        Assert.NotEqual("", result.Stderr.Trim());
    }

    [Fact]
    public async Task A_broken_overrides_folder_is_refused_with_exit_3_naming_the_file_and_field()
    {
        var folder = Directory.CreateTempSubdirectory("coachbot-cli-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "org.yaml"), "disable_rules: [self-serving.nope]\n");

            var result = await CoachBotProcess.RunAsync("check", "--overrides", folder, "What is your budget?");

            Assert.Equal(3, result.ExitCode);
            Assert.Contains("org.yaml: disable_rules: no rule has the id 'self-serving.nope'", result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
