using System.Net;
using System.Net.Sockets;

namespace CoachBot.Tests;

/// <summary>Ports on 127.0.0.1 for the servers a test starts.</summary>
internal static class Loopback
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
