using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.Tests.Email;

/// <summary>
/// A maildev server of the test's own, not the shared one: clearing the mail. (A killed run's maildev being stopped by
/// the next run is tested with PostgreSQL's and RabbitMQ's, in AbandonedServerTests.)
/// </summary>
public sealed class When_a_test_maildev_is_cleared
{
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
}
