namespace Vta.Compiler.Graphs;

/// <summary>
/// An activation fused into the op that produces a value (TFLite style). In quantized graphs it becomes
/// a clamp in the output's integer domain.
/// </summary>
public enum FusedActivation
{
    None,
    Relu,
    Relu6,
    ReluN1To1,
}

public static class FusedActivations
{
    /// <summary>The real-valued range the activation clamps to.</summary>
    public static (float Min, float Max) Range(this FusedActivation activation) => activation switch
    {
        FusedActivation.None => (float.NegativeInfinity, float.PositiveInfinity),
        FusedActivation.Relu => (0f, float.PositiveInfinity),
        FusedActivation.Relu6 => (0f, 6f),
        FusedActivation.ReluN1To1 => (-1f, 1f),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, null),
    };

    public static string Name(this FusedActivation activation) => activation switch
    {
        FusedActivation.None => "none",
        FusedActivation.Relu => "relu",
        FusedActivation.Relu6 => "relu6",
        FusedActivation.ReluN1To1 => "relu_n1_to_1",
        _ => activation.ToString(),
    };
}
