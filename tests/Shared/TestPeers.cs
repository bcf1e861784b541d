using System.Diagnostics;
using System.Reflection;

namespace CoachBot.TestSupport;

/// <summary>
/// The real peers the tests need, provisioned on first use so that <c>dotnet test CoachBot.sln</c> alone works on a
/// fresh machine: a PostgreSQL server (<c>.ci/postgres-up</c>, which installs it with apt-get when missing) and the
/// npm packages in <c>tests/realclients</c>. Test projects run in parallel, so each step holds a machine-wide file lock.
/// Linked into every test project that needs it (one copy of the logic).
/// </summary>
internal static class TestPeers
{
    public const string PostgresVariable = "COACHBOT_TEST_POSTGRES";

    private static readonly Lazy<string> Postgres = new(StartPostgres);

    /// <summary>The repository root: above the test binary, or above the project folder recorded at build time.</summary>
    public static string RepoRoot { get; } = FindRoot();

    /// <summary>The connection string of the test server: <see cref="PostgresVariable"/> when set, else one started now.</summary>
    public static string PostgresServer() => Postgres.Value;

    /// <summary>Makes sure <c>tests/realclients/node_modules</c> has <paramref name="package"/>, running <c>npm ci</c> once if not.</summary>
    public static string RealClients(string package)
    {
        var folder = Path.Combine(RepoRoot, "tests", "realclients");
        var modules = Path.Combine(folder, "node_modules");
        if (!Directory.Exists(Path.Combine(modules, package)))
        {
            using var gate = MachineLock("npm");
            if (!Directory.Exists(Path.Combine(modules, package)))
            {
                Run("npm", folder, "ci", "--no-audit", "--no-fund");
            }
        }

        return modules;
    }

    private static string StartPostgres()
    {
        if (Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } configured)
        {
            return configured;
        }

        using var gate = MachineLock("postgres");
        var output = Run("bash", RepoRoot, Path.Combine(RepoRoot, ".ci", "postgres-up"));

        // The script prints one line: export COACHBOT_TEST_POSTGRES='...'.
        var line = output.Split('\n').Single(l => l.StartsWith("export " + PostgresVariable + "=", StringComparison.Ordinal));
        var value = line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim().Trim('\'');
        Environment.SetEnvironmentVariable(PostgresVariable, value);
        return value;
    }

    private static string Run(string program, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} took more than 10 minutes.");
        }

        return process.ExitCode == 0
            ? stdout.Result
            : throw new InvalidOperationException(
                $"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}); the tests need it. "
                + "PostgreSQL: run eval \"$(.ci/postgres-up)\" (see README). npm: run npm ci --prefix tests/realclients.\n" + stderr.Result);
    }

    private static FileStream MachineLock(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), $"coachbot-tests-{name}.lock");
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
            }
        }
    }

    private static string FindRoot()
    {
        var project = typeof(TestPeers).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "ProjectDirectory")?.Value;
        foreach (var start in new[] { AppContext.BaseDirectory, project }.OfType<string>())
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CoachBot.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("CoachBot.sln not found above " + AppContext.BaseDirectory);
    }
}
