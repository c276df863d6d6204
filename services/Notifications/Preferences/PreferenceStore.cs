namespace PipelineCoach.Notifications.Preferences;

internal sealed class PreferenceStore
{
    public Task<IReadOnlyDictionary<string, RecipientPreferences>> GetManyAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, RecipientPreferences>>(userIds.Distinct().ToDictionary(u => u, _ => RecipientPreferences.Default));
}
