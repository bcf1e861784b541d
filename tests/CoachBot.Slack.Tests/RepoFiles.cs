using System.Diagnostics;
using System.Reflection;

namespace CoachBot.Slack.Tests;

/// <summary>Files of the repository the tests read (the Slack manifest and its schema) and the real node peers they run.</summary>
internal static class RepoFiles
{
    public const string Install = "Install the real clients with `npm ci --prefix tests/realclients` (needs node).";

    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string Manifest => Path.Combine(Root, "manifest", "slack", "manifest.json");

    public static string ManifestSchema => Path.Combine(Root, "manifest", "slack", "schema", "manifest.schema.1.0.0.json");

    public static string RealClients => Path.Combine(Root, "tests", "realclients");

    /// <summary>Runs <c>node tests/realclients/{script} {arguments}</c> with the installed packages on NODE_PATH.</summary>
    /// <param name="package">A package the script needs; missing, the test fails saying how to install it.</param>
    public static async Task<(int ExitCode, string Output)> RunNode(string script, string package, params string[] arguments)
    {
        var modules = CoachBot.TestSupport.TestPeers.RealClients(package);
        Assert.True(Directory.Exists(Path.Combine(modules, package)), $"{modules} lacks {package}. {Install}");

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RealClients, script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

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
            Assert.True(!output.Contains("Cannot find module", StringComparison.Ordinal), $"{output}\n{Install}");
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
