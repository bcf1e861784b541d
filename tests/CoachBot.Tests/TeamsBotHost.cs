using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CoachBot.Tests;

/// <summary>
/// The real host on 127.0.0.1 with Teams on (and Slack off), configured through environment variables like a deployment.
/// It keeps its standard error so a failing test can say what the host logged.
/// </summary>
internal sealed class TeamsBotHost : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private TeamsBotHost(Process process, int port, string dataDirectory)
    {
        _process = process;
        Port = port;
        DataDirectory = dataDirectory;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    public int Port { get; }

    public string DataDirectory { get; }

    public HttpClient Http { get; }

    public string MessagesUrl => $"http://127.0.0.1:{Port}/api/messages";

    public string DatabaseFile => Path.Combine(DataDirectory, "coachbot.db");

    /// <summary>What the host wrote to standard error so far (warnings, failures).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>The playground's mode: no app id, loopback clients allowed without tokens.</summary>
    public static Task<TeamsBotHost> StartUnauthenticatedAsync() =>
        StartAsync(new Dictionary<string, string> { ["Teams__AllowUnauthenticatedLocalClients"] = "true" });

    /// <param name="waitFor">The probe that says the host is up: /readyz, or /healthz for a host that is up but not ready.</param>
    public static async Task<TeamsBotHost> StartAsync(IDictionary<string, string> settings, string waitFor = "/readyz")
    {
        var port = Loopback.FreePort();
        var data = Directory.CreateTempSubdirectory("coachbot-teams-e2e-").FullName;
        var environment = new Dictionary<string, string>(settings) { ["Storage__DataDirectory"] = data };
        var process = CoachBotProcess.StartHost(port, environment, readStandardError: false);
        var host = new TeamsBotHost(process, port, data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (host._log)
                {
                    host._log.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        try
        {
            await host.WaitReadyAsync(waitFor);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return host;
    }

    /// <summary>One value from the host's SQLite database, read the way an operator would.</summary>
    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabaseFile};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>Polls until <paramref name="sql"/> (one number) reaches <paramref name="expected"/>.</summary>
    public async Task WaitForAsync(string sql, long expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        long actual;
        while ((actual = await ScalarAsync(sql)) != expected)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{sql} was {actual}, not {expected}, after {timeout.TotalSeconds} s. Host log:\n{Tail(Log)}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Polls until nothing in the inbox is waiting: every accepted activity has been worked on.</summary>
    public async Task WaitInboxDrainedAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (await ScalarAsync("SELECT COUNT(*) FROM inbox WHERE State = 'Pending'") > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The host's inbox still had pending items after {timeout.TotalSeconds} s. Host log:\n{Tail(Log)}");
            }

            await Task.Delay(50);
        }
    }

    public static string Tail(string text, int chars = 4000) => text.Length <= chars ? text : text[^chars..];

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Http.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left to the temp cleaner; the test's outcome does not depend on it.
        }
    }

    private async Task WaitReadyAsync(string probe)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                if ((await Http.GetAsync(new Uri(probe, UriKind.Relative))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException(
                    $"The host did not become ready (exited: {_process.HasExited}). Host log:\n{Tail(Log)}");
            }

            await Task.Delay(100);
        }
    }
}
