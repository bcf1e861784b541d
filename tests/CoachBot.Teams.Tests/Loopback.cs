using System.Net;
using System.Net.Sockets;

namespace CoachBot.Teams.Tests;

/// <summary>Starts an HttpListener on a free 127.0.0.1 port, for the fake peers the tests talk to over real HTTP.</summary>
internal static class Loopback
{
    public static (HttpListener Listener, Uri BaseUrl) Listen()
    {
        // HttpListener cannot bind port 0, so borrow a free port from the OS first; retry if someone takes it meanwhile.
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var baseUrl = new Uri($"http://127.0.0.1:{port}/");
            var listener = new HttpListener();
            listener.Prefixes.Add(baseUrl.AbsoluteUri);
            try
            {
                listener.Start();
                return (listener, baseUrl);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }
}
