namespace LogQueue.Engine.Log;

/// <summary>Receives one record read in place. <paramref name="record"/> is valid only during the call.</summary>
public delegate void RecordVisitor<TState>(in RecordView record, ref TState state);

/// <summary>Receives consecutive records read in place; return false to stop early.</summary>
public delegate bool RecordRangeVisitor<TState>(in RecordView record, ref TState state);
