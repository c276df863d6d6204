using MimeKit;

namespace PipelineCoach.Notifications.Channels.Email;

/// <summary>What counts as an address the channel can send to or from.</summary>
internal static class EmailAddresses
{
    /// <summary>
    /// A bare <c>local@domain</c>: it parses, and is nothing but the address (no display name, no list, no group),
    /// so a directory value like <c>"x" &lt;a@b&gt;, c@d</c> cannot add recipients.
    /// </summary>
    public static bool IsValid(string? address) =>
        !string.IsNullOrWhiteSpace(address)
        && MailboxAddress.TryParse(address.Trim(), out var mailbox)
        && string.IsNullOrEmpty(mailbox.Name)
        && mailbox.Domain.Length > 0
        && string.Equals(mailbox.Address, address.Trim(), StringComparison.OrdinalIgnoreCase);
}
