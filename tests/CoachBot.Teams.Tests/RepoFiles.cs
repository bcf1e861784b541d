using System.Diagnostics;
using System.Reflection;

namespace CoachBot.Teams.Tests;

/// <summary>Files of the repository the tests read (the Teams manifest) and the real validator they run.</summary>
internal static class RepoFiles
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string ManifestFolder => Path.Combine(Root, "manifest", "teams");

    public static string Manifest => Path.Combine(ManifestFolder, "manifest.json");

    /// <summary>
    /// Runs <c>tests/realclients/validate-teams-manifest.js</c> (Microsoft's <c>@microsoft/app-manifest</c>
    /// with its bundled schemas, offline) on a manifest.json or an app package zip.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> ValidateWithRealValidator(string file)
    {
        const string Install = "Install the Teams manifest validator with `npm ci --prefix tests/realclients` (needs node).";
        var realClients = Path.Combine(Root, "tests", "realclients");
        var modules = CoachBot.TestSupport.TestPeers.RealClients("fs-extra");
        Assert.True(
            Directory.Exists(Path.Combine(modules, "@microsoft", "app-manifest")) && Directory.Exists(Path.Combine(modules, "fs-extra")),
            $"{modules} lacks @microsoft/app-manifest or fs-extra. {Install}");

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(realClients, "validate-teams-manifest.js"));
        start.ArgumentList.Add(file);
        start.Environment["NODE_PATH"] = modules;

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Could not run node ({e.Message}). {Install}", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            var output = await stdout + await stderr;
            Assert.DoesNotContain("Cannot find module", output, StringComparison.Ordinal);
            return (process.ExitCode, output);
        }
    }

    private static string FindRoot()
    {
        var projectDirectory = typeof(RepoFiles).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "ProjectDirectory")?.Value;
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory, projectDirectory })
        {
            for (var dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CoachBot.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Could not find the repository root (the folder with CoachBot.sln).");
    }
}

/// <summary>A temporary file deleted when the test ends.</summary>
internal sealed class TempFile(string extension) : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"coachbot-{Guid.NewGuid():N}{extension}");

    public void Dispose() => File.Delete(Path);
}
