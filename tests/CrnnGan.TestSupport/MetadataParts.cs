using CrnnGan.Inference.Generation;
using CrnnGan.Inference.Generation.Encodings;

namespace CrnnGan.TestSupport;

/// <summary>A model's family part, for tests that know which family their model is.</summary>
public static class MetadataParts
{
    public static ToneEncoding Tones(this ModelMetadata metadata) => (ToneEncoding)metadata.Encoding;

    public static ContinuousEncoding Paper(this ModelMetadata metadata) => (ContinuousEncoding)metadata.Encoding;
}
