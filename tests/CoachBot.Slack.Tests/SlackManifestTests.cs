using System.Text.Json.Nodes;

namespace CoachBot.Slack.Tests;

/// <summary>
/// <c>manifest/slack/manifest.json</c> against Slack's own manifest schema (slackapi/manifest-schema, copied into
/// <c>manifest/slack/schema/</c>), validated offline by ajv through <c>tests/realclients/validate-slack-manifest.js</c>.
/// </summary>
public sealed class SlackManifestTests
{
    private static JsonObject Manifest() => JsonNode.Parse(File.ReadAllText(RepoFiles.Manifest))!.AsObject();

    private static Task<(int ExitCode, string Output)> Validate(string manifest) =>
        RepoFiles.RunNode("validate-slack-manifest.js", "ajv", RepoFiles.ManifestSchema, manifest);

    [Fact]
    public async Task The_committed_manifest_passes_slacks_schema()
    {
        var (exitCode, output) = await Validate(RepoFiles.Manifest);

        Assert.True(exitCode == 0, output);
        Assert.StartsWith("OK", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Slacks_schema_fails_a_broken_manifest()
    {
        // Proves the check above can fail: a command without its slash, and a key Slack doesn't know.
        var manifest = Manifest();
        manifest["features"]!["slash_commands"]![0]!["command"] = "coach";
        manifest["settings"]!["interactivity"]!.AsObject().Remove("is_enabled");
        using var broken = new TempFile(".json");
        await File.WriteAllTextAsync(broken.Path, manifest.ToJsonString());

        var (exitCode, output) = await Validate(broken.Path);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("/features/slash_commands/0/command", output, StringComparison.Ordinal);
        Assert.Contains("is_enabled", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_manifest_asks_for_exactly_the_scopes_the_install_link_asks_for() =>
        Assert.Equal(
            SlackOAuth.BotScopes.Order(StringComparer.Ordinal),
            Manifest()["oauth_config"]!["scopes"]!["bot"]!.AsArray().Select(s => s!.GetValue<string>()).Order(StringComparer.Ordinal));

    [Fact]
    public void The_background_color_is_a_hex_colour_which_the_schema_states_but_no_validator_checks()
    {
        // Slack's schema writes this rule with a non-standard "regex" keyword, so ajv ignores it; checked here instead.
        var colour = Manifest()["display_information"]!["background_color"]!.GetValue<string>();

        Assert.Matches("^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$", colour);
    }
}
