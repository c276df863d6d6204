using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.Tests.Email;

/// <summary>
/// maildev servers of the fixtures' own, not the shared one: clearing the mail, and a killed run's maildev being stopped
/// by the next run like PostgreSQL and RabbitMQ. The abandoned one is planted in a folder of the test's own, so no
/// other test process's clean-up interferes.
/// </summary>
public sealed class When_a_test_maildev_is_cleared_or_abandoned
{
    private readonly List<Process> _children = [];
    private readonly List<LocalMaildev> _servers = [];
    private string _root = null!;

    [SetUp]
    public void CreateRoot()
    {
        _root = Path.Combine(Path.GetTempPath(), $"pc-abandoned-maildev-test-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_root);
    }

    [TearDown]
    public async Task CleanUpAsync()
    {
        try
        {
            foreach (var server in _servers.Where(s => Directory.Exists(s.Folder)))
            {
                await server.DisposeAsync();  // the test failed before its server was stopped
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

            Directory.Delete(_root, recursive: true);
        }
    }

    [Test]
    public async Task Should_list_and_find_no_mail_after_deleting_all()
    {
        var maildev = (LocalMaildev)await LocalMaildev.StartAsync(_root, owner: null);
        _servers.Add(maildev);
        await SendAsync(maildev, "first@example.test");
        await SendAsync(maildev, "second@example.test");
        var caught = await Eventually.ValueAsync(() => maildev.Mail.ListAsync(), m => m.Count == 2, "maildev to catch both mails");

        await maildev.Mail.DeleteAllAsync();

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await maildev.Mail.ListAsync(), Is.Empty);
            Assert.That(await maildev.Mail.GetAsync(caught[0].Id), Is.Null);
        });
        await maildev.DisposeAsync();
        Assert.That(Directory.Exists(maildev.Folder), Is.False);
    }

    [Test]
    public async Task When_the_test_process_that_started_it_was_killed_Should_stop_it_and_delete_its_folder()
    {
        var owner = StartChild();
        var maildev = (LocalMaildev)await LocalMaildev.StartAsync(_root, Identity(owner));
        _servers.Add(maildev);
        var recorded = ServerFolder.Servers(maildev.Folder);
        Assert.That(recorded, Has.Count.EqualTo(1).And.All.Matches<ProcessIdentity>(p => p.IsRunning));

        owner.Kill();  // SIGKILL: no tear-down runs
        await owner.WaitForExitAsync();
        var stopped = await AbandonedServers.StopAsync(_root);

        Assert.Multiple(() =>
        {
            Assert.That(stopped, Is.EqualTo(new[] { maildev.Folder }));
            Assert.That(Directory.Exists(maildev.Folder), Is.False);
            Assert.That(recorded.Where(p => p.IsRunning), Is.Empty);
            Assert.That(Accepts(maildev.SmtpPort), Is.False);
            Assert.That(Accepts(maildev.WebUrl.Port), Is.False);
        });
    }

    private static async Task SendAsync(IMaildevServer maildev, string to)
    {
        var message = new MimeMessage { Subject = "Hello", Body = new TextPart("plain") { Text = "Hello." } };
        message.From.Add(MailboxAddress.Parse("coach@example.test"));
        message.To.Add(MailboxAddress.Parse(to));
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync(maildev.SmtpHost, maildev.SmtpPort, SecureSocketOptions.None);
        await smtp.SendAsync(message);
        await smtp.DisconnectAsync(quit: true);
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
