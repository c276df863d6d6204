using Npgsql;
using PipelineCoach.ServiceDefaults.Messaging;

namespace PipelineCoach.ServiceDefaults.Data;

/// <summary>
/// One database transaction that can also record messages to publish (outbox) and the consumed message id
/// (inbox). Dapper runs on <see cref="Connection"/> with <see cref="Transaction"/>; nothing is visible, published
/// or marked consumed until <see cref="CommitAsync"/>.
/// </summary>
public sealed class UnitOfWork : IAsyncDisposable
{
    private readonly OutboxSignal _signal;
    private bool _hasOutboxMessages;

    internal UnitOfWork(NpgsqlConnection connection, NpgsqlTransaction transaction, OutboxSignal signal)
    {
        Connection = connection;
        Transaction = transaction;
        _signal = signal;
    }

    public NpgsqlConnection Connection { get; }

    public NpgsqlTransaction Transaction { get; }

    /// <summary>
    /// Adds a message to the outbox; it is published after commit, with <paramref name="messageId"/> as its MassTransit
    /// MessageId. The commit wakes this instance's dispatcher.
    /// </summary>
    public async Task PublishAsync<T>(T message, CancellationToken cancellationToken, Guid? messageId = null) where T : class
    {
        await OutboxStore.AddAsync(this, message, messageId ?? Guid.CreateVersion7(), cancellationToken);
        MarkOutboxWritten();
    }

    /// <summary>Every outbox write path calls this, so <see cref="CommitAsync"/> wakes the dispatcher without the caller's help.</summary>
    internal void MarkOutboxWritten() => _hasOutboxMessages = true;

    /// <summary>
    /// Records that <paramref name="consumer"/> processed <paramref name="messageId"/>. Returns false when it already
    /// had (a duplicate delivery): the caller then does nothing. A concurrent duplicate waits on the row lock and
    /// sees false once the first commits.
    /// </summary>
    public Task<bool> TryMarkConsumedAsync(string consumer, Guid messageId, CancellationToken cancellationToken) =>
        InboxStore.TryAddAsync(this, consumer, messageId, cancellationToken);

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await Transaction.CommitAsync(cancellationToken);
        if (_hasOutboxMessages)
        {
            _signal.Notify();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}

/// <summary>Opens connections from the service's data source and begins units of work.</summary>
public sealed class UnitOfWorkFactory(NpgsqlDataSource dataSource, OutboxSignal signal)
{
    public async Task<UnitOfWork> BeginAsync(CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            return new UnitOfWork(connection, transaction, signal);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
