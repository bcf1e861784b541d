using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace CoachBot.Tests;

/// <summary>The binary with no address of ours; its address is read from Kestrel's own "Now listening on" line.</summary>
internal sealed partial class RunningHost : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _data;

    private RunningHost(Process process, string data)
    {
        _process = process;
        _data = data;
    }

    public ConcurrentQueue<string> Stdout { get; } = new();

    public ConcurrentQueue<string> Stderr { get; } = new();

    public HttpClient Http { get; private set; } = null!;

    public string DatabaseFile => Path.Combine(_data, "coachbot.db");

    public static async Task<RunningHost> StartAsync(Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(CoachBotProcess.Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var data = Directory.CreateTempSubdirectory("coachbot-hosting-").FullName;
        start.Environment["Storage__DataDirectory"] = data;
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("ASPNETCORE_HTTP_PORTS");
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var host = new RunningHost(Process.Start(start)!, data);
        host._process.OutputDataReceived += (_, e) => Keep(host.Stdout, e.Data);
        host._process.ErrorDataReceived += (_, e) =>
        {
            Keep(host.Stderr, e.Data);
            if (e.Data is not null && ListeningOn().Match(e.Data) is { Success: true } match)
            {
                listening.TrySetResult(new Uri($"http://127.0.0.1:{match.Groups["port"].Value}"));
            }
        };
        host._process.BeginOutputReadLine();
        host._process.BeginErrorReadLine();
        try
        {
            var address = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            host.Http = new HttpClient { BaseAddress = address };
            return host;
        }
        catch (TimeoutException)
        {
            await host.DisposeAsync();
            throw new TimeoutException("The host never said where it listens. Its standard error:\n" + string.Join('\n', host.Stderr));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Http?.Dispose();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left to the temp cleaner.
        }
    }

    private static void Keep(ConcurrentQueue<string> lines, string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }

    [GeneratedRegex(@"Now listening on: http://[^\s]*:(?<port>\d+)$")]
    private static partial Regex ListeningOn();
}
