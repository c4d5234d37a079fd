using System.Text.Json;

namespace CrnnGan.Functions.Datasets;

/// <summary>
/// A queue message: batches <see cref="First"/> to <see cref="Last"/> of a job. One batch is made; a range fans out
/// into messages of at most FanOut batches, then of one, so that submitting a million songs enqueues a handful.
/// </summary>
public sealed record DatasetMessage(string Job, int First, int Last)
{
    public bool IsBatch => First == Last;

    public string ToJson() => JsonSerializer.Serialize(this, DatasetStore.Json);

    /// <summary>The message, or null with the reason it is not one.</summary>
    public static (DatasetMessage? Message, string? Problem) Parse(string text)
    {
        DatasetMessage? message;
        try
        {
            message = JsonSerializer.Deserialize<DatasetMessage>(text, DatasetStore.Json);
        }
        catch (JsonException e)
        {
            return (null, $"not a dataset message: {e.Message}");
        }
        if (message is null || !DatasetStore.IsJobId(message.Job))
            return (null, "not a dataset message: no valid job id");
        if (message.First < 0 || message.Last < message.First)
            return (null, $"batches {message.First} to {message.Last} are not a range");
        return (message, null);
    }
}
