namespace PipelineCoach.Notifications.Channels.Email;

/// <summary>A notice as an email: the subject and both bodies of the <c>multipart/alternative</c>.</summary>
internal sealed record RenderedEmail(string Subject, string Html, string Text);
