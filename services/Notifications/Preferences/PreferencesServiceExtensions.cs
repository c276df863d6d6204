using FluentValidation;
using PipelineCoach.Notifications.Subscriptions;

namespace PipelineCoach.Notifications.Preferences;

internal static class PreferencesServiceExtensions
{
    /// <summary>Recipients' preferences and extra subscriptions: their stores (for the router too) and the API's validators.</summary>
    public static IServiceCollection AddPreferences(this IServiceCollection services)
    {
        services.AddSingleton<IValidator<PreferencesRequest>, PreferencesRequestValidator>();
        services.AddSingleton<PreferenceStore>();
        services.AddSingleton<IValidator<SubscriptionRequest>, SubscriptionRequestValidator>();
        services.AddSingleton<SubscriptionStore>();
        return services;
    }
}
