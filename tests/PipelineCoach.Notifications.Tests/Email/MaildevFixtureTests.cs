using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.Tests.Email;

/// <summary>The fixtures' maildev catches what MailKit sends over SMTP and shows it through its REST API.</summary>
public sealed class When_mail_is_sent_to_the_test_smtp_server
{
    [Test]
    public async Task Should_show_its_subject_recipient_and_both_parts_through_the_rest_api()
    {
        var maildev = await TestServers.MaildevAsync();
        var to = $"rep-{Guid.NewGuid():N}@example.test";  // tests share the server: each reads only its own mail
        var message = new MimeMessage { Subject = "Risk raised on Acme renewal" };
        message.From.Add(new MailboxAddress("Pipeline Coach", "coach@example.test"));
        message.To.Add(new MailboxAddress("Riley Rep", to));
        message.Body = new BodyBuilder
        {
            TextBody = "Acme renewal has no next step.",
            HtmlBody = "<p>Acme renewal has <b>no next step</b>.</p>",
        }.ToMessageBody();

        using (var smtp = new SmtpClient())
        {
            await smtp.ConnectAsync(maildev.SmtpHost, maildev.SmtpPort, SecureSocketOptions.None);
            await smtp.SendAsync(message);
            await smtp.DisconnectAsync(quit: true);
        }

        var caught = (await Eventually.ValueAsync(() => maildev.Mail.ToAsync(to), m => m.Count > 0, $"maildev to catch the mail to {to}")).Single();
        var read = await maildev.Mail.GetAsync(caught.Id);

        Assert.That(read, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(read!.Subject, Is.EqualTo("Risk raised on Acme renewal"));
            Assert.That(read.To.Select(a => (a.Address, a.Name)), Is.EqualTo(new[] { (to, "Riley Rep") }));
            Assert.That(read.From.Select(a => a.Address), Is.EqualTo(new[] { "coach@example.test" }));
            Assert.That(read.Text?.Trim(), Is.EqualTo("Acme renewal has no next step."));
            Assert.That(read.Html?.Trim(), Is.EqualTo("<p>Acme renewal has <b>no next step</b>.</p>"));
            Assert.That(read.Header("message-id"), Is.EqualTo($"<{message.MessageId}>"));
        });
    }
}
