using Google.Protobuf;
using Onnx;

namespace CrnnGan.Training.Export;

/// <summary>
/// An exported tone model with other sampling defaults in its metadata (the temperature and nucleus of pitch and time,
/// the time's and the length head's own temperatures, the length's and the time's biases, the time's by place, ascending
/// chords) and its graph and weights untouched: a calibration after training, as `export` would have written it from the
/// checkpoint.
/// </summary>
public static class SamplingDefaults
{
    /// <exception cref="InvalidDataException">Not a tone model this exporter wrote, or a temperature out of range.</exception>
    public static (byte[] Model, ModelMetadata Metadata) Apply(
        byte[] onnx,
        float? temperature,
        float? lengthTemperature,
        IReadOnlyList<float>? lengthBias = null,
        float? topP = null,
        float? timeTemperature = null,
        bool? ascendingChords = null,
        IReadOnlyList<float>? timeBias = null,
        IReadOnlyList<float>? timeBiasByPlace = null
    )
    {
        var model = ModelProto.Parser.ParseFrom(onnx);
        var metadata = ModelMetadata.Parse(model.MetadataProps.ToDictionary(p => p.Key, p => p.Value));
        var encoding = metadata.EncodingAs<ToneEncoding>("Sampling temperatures are for the tone family (the paper's model draws no classes)");
        var tuned = metadata with
        {
            Encoding = encoding with
            {
                DefaultTemperature = temperature ?? encoding.DefaultTemperature,
                LengthTemperature = lengthTemperature ?? encoding.LengthTemperature,
                LengthBias = lengthBias ?? encoding.LengthBias,
                DefaultTopP = topP ?? encoding.DefaultTopP,
                TimeTemperature = timeTemperature ?? encoding.TimeTemperature,
                AscendingChords = ascendingChords ?? encoding.AscendingChords,
                TimeBias = timeBias ?? encoding.TimeBias,
                TimeBiasByPlace = timeBiasByPlace ?? encoding.TimeBiasByPlace,
            },
        };
        if (tuned.SamplingProblem() is { } problem)
            throw new InvalidDataException(problem);
        model.MetadataProps.Clear();
        foreach (var (key, value) in tuned.ToProperties())
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return (model.ToByteArray(), tuned);
    }
}
