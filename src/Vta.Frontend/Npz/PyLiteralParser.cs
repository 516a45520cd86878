using System.Globalization;

namespace Vta.Frontend.Npz;

/// <summary>
/// Just enough of Python's literal syntax for .npy headers: a dict of quoted string keys whose values are
/// strings, True/False/None, integers (with Python 2's 'L' suffix) and tuples or lists of these. Tuples of
/// integers come back as List&lt;long&gt;; other sequences as List&lt;object?&gt; (structured descrs).
/// </summary>
internal sealed class PyLiteralParser(string text)
{
    private readonly string _text = text;
    private int _pos;

    public Dictionary<string, object> ParseDict()
    {
        SkipSpace();
        Expect('{');
        var dict = new Dictionary<string, object>(StringComparer.Ordinal);
        while (true)
        {
            SkipSpace();
            if (TryTake('}'))
            {
                break;
            }

            string key = ParseValue() as string ?? throw Error("dict key is not a string");
            SkipSpace();
            Expect(':');
            object value = ParseValue() ?? "None";
            if (!dict.TryAdd(key, value))
            {
                throw Error($"duplicate key '{key}'");
            }

            SkipSpace();
            if (!TryTake(','))
            {
                SkipSpace();
                Expect('}');
                break;
            }
        }

        SkipSpace();
        if (_pos != _text.Length)
        {
            throw Error("unexpected text after the dict");
        }

        return dict;
    }

    private object? ParseValue()
    {
        SkipSpace();
        if (_pos >= _text.Length)
        {
            throw Error("unexpected end of header");
        }

        char c = _text[_pos];
        if (c is '\'' or '"')
        {
            return ParseString(c);
        }

        if (c is '(' or '[')
        {
            return ParseSequence(c == '(' ? ')' : ']');
        }

        if (c == '-' || char.IsAsciiDigit(c))
        {
            return ParseInteger();
        }

        foreach ((string word, object? value) in new (string, object?)[] { ("True", true), ("False", false), ("None", null) })
        {
            if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) == 0)
            {
                _pos += word.Length;
                return value;
            }
        }

        throw Error($"unexpected character '{c}'");
    }

    private string ParseString(char quote)
    {
        int start = ++_pos;
        while (_pos < _text.Length && _text[_pos] != quote)
        {
            if (_text[_pos] == '\\')
            {
                throw Error("escape sequences in header strings are not supported");
            }

            _pos++;
        }

        if (_pos >= _text.Length)
        {
            throw Error("unterminated string");
        }

        return _text[start.._pos++];
    }

    private long ParseInteger()
    {
        int start = _pos;
        if (_text[_pos] == '-')
        {
            _pos++;
        }

        while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
        {
            _pos++;
        }

        if (!long.TryParse(_text.AsSpan(start, _pos - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
        {
            throw Error($"bad integer '{_text[start.._pos]}'");
        }

        if (_pos < _text.Length && _text[_pos] is 'L' or 'l')
        {
            _pos++; // Python 2 long suffix, as NumPy's _filter_header drops it.
        }

        return value;
    }

    private object ParseSequence(char close)
    {
        _pos++;
        var items = new List<object?>();
        bool sawComma = false;
        while (true)
        {
            SkipSpace();
            if (TryTake(close))
            {
                break;
            }

            items.Add(ParseValue());
            SkipSpace();
            if (!TryTake(','))
            {
                SkipSpace();
                Expect(close);
                break;
            }

            sawComma = true;
        }

        // "(5)" is just 5 in Python, not a tuple; NumPy then rejects it as a shape, and so do we.
        if (close == ')' && items.Count == 1 && !sawComma)
        {
            return items[0] ?? "None";
        }

        if (close == ')' && items.All(i => i is long))
        {
            return items.Select(i => (long)i!).ToList();
        }

        return items;
    }

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }
    }

    private bool TryTake(char c)
    {
        if (_pos < _text.Length && _text[_pos] == c)
        {
            _pos++;
            return true;
        }

        return false;
    }

    private void Expect(char c)
    {
        if (!TryTake(c))
        {
            throw Error($"expected '{c}'");
        }
    }

    private FormatException Error(string what) => new($"cannot parse header at offset {_pos}: {what} in {_text.TrimEnd()}");
}
