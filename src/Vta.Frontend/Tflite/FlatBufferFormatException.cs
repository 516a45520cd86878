namespace Vta.Frontend.Tflite;

/// <summary>A flatbuffer offset or length points outside the file; the importer adds the file name and context.</summary>
internal sealed class FlatBufferFormatException : Exception
{
    public FlatBufferFormatException()
    {
    }

    public FlatBufferFormatException(string message)
        : base(message)
    {
    }

    public FlatBufferFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
