using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using PipelineCoach.Testing;

namespace PipelineCoach.Cadence.Tests.ServerCleanup;

/// <summary>
/// Servers a killed test run left in its server folders are found and stopped at the next start, by their recorded
/// pids only. The folders are planted in a folder of the test's own, so no other test process's clean-up interferes.
/// </summary>
public sealed class AbandonedServerTests
{
    private readonly List<Process> _children = [];
    private readonly List<IAsyncDisposable> _servers = [];
    private string _root = null!;

    [SetUp]
    public void CreateRoot()
    {
        _root = Path.Combine(Path.GetTempPath(), $"pc-abandoned-servers-test-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_root);  // 0755: as root, PostgreSQL runs as postgres and must enter it
    }

    [TearDown]
    public async Task CleanUpAsync()
    {
        try
        {
            foreach (var server in _servers)
            {
                var folder = server switch { LocalPostgres pg => pg.Folder, LocalRabbitMq mq => mq.Folder, _ => ((LocalMaildev)server).Folder };
                if (Directory.Exists(folder))
                {
                    await server.DisposeAsync();  // the test failed before its servers were stopped
                }
            }
        }
        finally
        {
            foreach (var child in _children)
            {
                if (!child.HasExited)
                {
                    child.Kill();
                    await child.WaitForExitAsync();
                }

                child.Dispose();
            }

            _servers.Clear();
            _children.Clear();
            Directory.Delete(_root, recursive: true);
        }
    }

    [Test]
    public async Task When_the_test_process_that_started_servers_was_killed_Should_stop_them_and_delete_their_folders()
    {
        var owner = StartChild();
        var postgres = (LocalPostgres)await LocalPostgres.StartAsync(_root, Identity(owner));
        _servers.Add(postgres);
        var rabbitMq = (LocalRabbitMq)await LocalRabbitMq.StartAsync(_root, Identity(owner));
        _servers.Add(rabbitMq);
        var maildev = (LocalMaildev)await LocalMaildev.StartAsync(_root, Identity(owner));
        _servers.Add(maildev);
        var recorded = ServerFolder.Servers(postgres.Folder).Concat(ServerFolder.Servers(rabbitMq.Folder)).Concat(ServerFolder.Servers(maildev.Folder)).ToList();
        Assert.That(recorded, Has.Count.EqualTo(4).And.All.Matches<ProcessIdentity>(p => p.IsRunning));  // postmaster; script and VM; maildev

        owner.Kill();  // SIGKILL: no tear-down runs
        await owner.WaitForExitAsync();
        var stopped = await AbandonedServers.StopAsync(_root);

        Assert.Multiple(() =>
        {
            Assert.That(stopped, Is.EquivalentTo(new[] { postgres.Folder, rabbitMq.Folder, maildev.Folder }));
            Assert.That(Directory.Exists(postgres.Folder) || Directory.Exists(rabbitMq.Folder) || Directory.Exists(maildev.Folder), Is.False);
            Assert.That(recorded.Where(p => p.IsRunning), Is.Empty);
            Assert.That(Accepts(new NpgsqlConnectionStringBuilder(postgres.AdminConnectionString).Port), Is.False);
            Assert.That(Accepts(new Uri(rabbitMq.Uri).Port), Is.False);
            Assert.That(Accepts(maildev.SmtpPort) || Accepts(maildev.WebUrl.Port), Is.False);
        });
    }

    [Test]
    public async Task When_the_owner_still_runs_Should_leave_its_folder_and_servers_alone()
    {
        var owner = StartChild();
        var server = StartChild();
        var folder = ServerFolder.Create("pg", _root, Identity(owner));
        ServerFolder.RecordServer(folder, server.Id);

        var stopped = await AbandonedServers.StopAsync(_root);

        Assert.Multiple(() =>
        {
            Assert.That(stopped, Is.Empty);
            Assert.That(Directory.Exists(folder), Is.True);
            Assert.That(server.HasExited, Is.False);
        });
    }

    [Test]
    public async Task When_a_recorded_pid_now_belongs_to_another_process_Should_not_signal_it()
    {
        var owner = StartChild();
        var ownerIdentity = Identity(owner);
        owner.Kill();
        await owner.WaitForExitAsync();
        var stranger = StartChild();
        var folder = ServerFolder.Create("pg", _root, ownerIdentity);
        var reused = Identity(stranger) with { StartTicks = Identity(stranger).StartTicks - 1 };  // same pid, another process
        await File.WriteAllTextAsync(Path.Combine(folder, ServerFolder.ServerPidsFile), $"{reused}\n");

        var stopped = await AbandonedServers.StopAsync(_root);

        Assert.Multiple(() =>
        {
            Assert.That(stopped, Is.EqualTo(new[] { folder }));
            Assert.That(Directory.Exists(folder), Is.False);
            Assert.That(stranger.HasExited, Is.False);
        });
    }

    [Test]
    public async Task When_a_folder_has_no_owner_record_Should_leave_it_alone()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, $"{ServerFolder.Prefix}durable-pg-1")).FullName;

        var stopped = await AbandonedServers.StopAsync(_root);

        Assert.Multiple(() =>
        {
            Assert.That(stopped, Is.Empty);
            Assert.That(Directory.Exists(folder), Is.True);
        });
    }

    private Process StartChild()
    {
        var child = Process.Start(new ProcessStartInfo("sleep", "600") { UseShellExecute = false })
            ?? throw new InvalidOperationException("Could not start sleep.");
        _children.Add(child);
        return child;
    }

    private static ProcessIdentity Identity(Process process) =>
        ProcessIdentity.Of(process.Id) ?? throw new InvalidOperationException($"pid {process.Id} does not run");

    private static bool Accepts(int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
