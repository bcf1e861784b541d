using System.Text.Json.Nodes;

namespace CoachBot.Teams.Tests;

/// <summary>The manifest and the app package, checked by Microsoft's own schema validator run offline.</summary>
public sealed class TeamsManifestValidatorTests
{
    [Fact]
    public async Task The_committed_manifest_passes_the_real_validator()
    {
        var (exitCode, output) = await RepoFiles.ValidateWithRealValidator(RepoFiles.Manifest);

        Assert.True(exitCode == 0, output);
        Assert.StartsWith("OK", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_built_app_package_passes_the_real_validator_icons_included()
    {
        using var zip = new TempFile(".zip");
        await File.WriteAllBytesAsync(zip.Path, TeamsAppPackage.Build(RepoFiles.ManifestFolder, "5f0b7c2e-0000-4000-8000-00000000b0a7"));

        var (exitCode, output) = await RepoFiles.ValidateWithRealValidator(zip.Path);

        Assert.True(exitCode == 0, output);
        Assert.StartsWith("OK", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_real_validator_fails_a_broken_manifest()
    {
        // Proves the check above can fail: the old lowercase scope and a missing accent colour are both schema errors.
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(RepoFiles.Manifest))!.AsObject();
        manifest["bots"]![0]!["scopes"] = new JsonArray("personal", "team", "groupchat");
        manifest.Remove("accentColor");
        using var broken = new TempFile(".json");
        await File.WriteAllTextAsync(broken.Path, manifest.ToJsonString());

        var (exitCode, output) = await RepoFiles.ValidateWithRealValidator(broken.Path);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("FAIL (2)", output, StringComparison.Ordinal);
        Assert.Contains("/bots/0/scopes/2", output, StringComparison.Ordinal);
        Assert.Contains("accentColor", output, StringComparison.Ordinal);
    }
}
