package io.cockpitwsjava.beiboot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZ;
import org.tukaani.xz.XZOutputStream;

/**
 * Builds a beipack (docs/beiboot.md §6.1, §6.4): one Python source text carrying a whole package as a dict of
 * {@code relative path -> bytes} plus an import hook serving modules and resources from it, xz-compressed.
 *
 * <p>The loader is our own. It honours {@code __file__}/{@code __self_source__} (set by stage 1's {@code boot_xz}) by
 * adding the compressed text itself as a resource under {@code __file__}, which is how the running bridge finds the
 * payload to beiboot its privileged copy.
 */
public final class BeipackWriter {

    /** The embedded payload of an installed package; packing it would nest a stale copy. */
    static final String EMBEDDED_PAYLOAD = Stage1Bootloader.PAYLOAD_FILENAME;

    // Python >= 3.6. Resource access: files() (3.9+ importlib.resources), legacy ResourceReader methods (3.7/3.8),
    // and get_data() (cockpit.data's own fallback before 3.11).
    private static final String LOADER = """
            import importlib.abc
            import importlib.util
            import io
            import sys
            class PackedFile(object):
                def __init__(self, files, path):
                    self._files = files
                    self._path = path
                @property
                def name(self):
                    return self._path.rsplit('/', 1)[-1]
                def __repr__(self):
                    return '<packed %s>' % self._path
                def __str__(self):
                    return self._path
                def joinpath(self, *parts):
                    path = self._path
                    for part in parts:
                        for segment in str(part).split('/'):
                            if segment and segment != '.':
                                path = path + '/' + segment
                    return PackedFile(self._files, path)
                def __truediv__(self, part):
                    return self.joinpath(part)
                def is_file(self):
                    return self._path in self._files
                def is_dir(self):
                    prefix = self._path + '/'
                    return any(name.startswith(prefix) for name in self._files)
                def exists(self):
                    return self.is_file() or self.is_dir()
                def iterdir(self):
                    prefix = self._path + '/'
                    children = sorted(set(name[len(prefix):].split('/', 1)[0] for name in self._files if name.startswith(prefix)))
                    return iter([PackedFile(self._files, prefix + child) for child in children])
                def read_bytes(self):
                    try:
                        return self._files[self._path]
                    except KeyError:
                        raise FileNotFoundError(self._path)
                def read_text(self, encoding=None, errors=None):
                    return self.read_bytes().decode(encoding or 'utf-8', errors or 'strict')
                def open(self, mode='r', *args, **kwargs):
                    stream = io.BytesIO(self.read_bytes())
                    if 'b' in mode:
                        return stream
                    return io.TextIOWrapper(stream, *args, **kwargs)
            class PackedResources(object):
                def __init__(self, files, directory):
                    self._files = files
                    self._dir = directory
                def files(self):
                    return PackedFile(self._files, self._dir)
                def is_resource(self, name):
                    return (self._dir + '/' + name) in self._files
                def open_resource(self, name):
                    return PackedFile(self._files, self._dir + '/' + name).open('rb')
                def resource_path(self, name):
                    raise FileNotFoundError(name)
                def contents(self):
                    return iter([entry.name for entry in self.files().iterdir()])
            class PackedModules(importlib.abc.MetaPathFinder, importlib.abc.SourceLoader):
                def __init__(self, files):
                    try:
                        files[__file__] = __self_source__
                    except NameError:
                        pass
                    self.files = files
                    self.modules = {}
                    for path in files:
                        if path.endswith('.py'):
                            name = path[:-3]
                            if name.endswith('/__init__'):
                                name = name[:-9]
                            self.modules[name.replace('/', '.')] = path
                def find_spec(self, fullname, path=None, target=None):
                    if fullname not in self.modules:
                        return None
                    return importlib.util.spec_from_loader(fullname, self, is_package=self.is_package(fullname))
                def is_package(self, fullname):
                    return self.modules[fullname].endswith('/__init__.py')
                def get_filename(self, fullname):
                    return self.modules[fullname]
                def get_data(self, path):
                    try:
                        return self.files[path]
                    except KeyError:
                        raise OSError('no packed file %s' % path)
                def get_resource_reader(self, fullname):
                    return PackedResources(self.files, fullname.replace('.', '/'))
            """;

    private BeipackWriter() {
    }

    /**
     * Packs the {@code cockpit} package found in {@code sitePackages} (e.g. {@code /usr/lib/python3/dist-packages})
     * into an xz-compressed beipack whose entry point is {@code cockpit.bridge:main(beipack=True)}.
     */
    public static byte[] packCockpit(Path sitePackages) {
        Map<String, byte[]> files = collect(sitePackages, "cockpit");
        files.remove(EMBEDDED_PAYLOAD);
        return compress(source(files, "cockpit.bridge", "main", "beipack=True"));
    }

    /**
     * Every regular file below {@code parent/packageName}, keyed by its path relative to {@code parent} with
     * {@code /} separators, sorted; {@code __pycache__} directories are skipped.
     */
    public static Map<String, byte[]> collect(Path parent, String packageName) {
        Path root = parent.resolve(packageName);
        if (!Files.isRegularFile(root.resolve("__init__.py"))) {
            throw new IllegalArgumentException("not a Python package: " + root);
        }
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                Path relative = parent.relativize(path);
                boolean cache = false;
                for (Path part : relative) {
                    cache |= part.toString().equals("__pycache__");
                }
                if (cache || !Files.isRegularFile(path)) {
                    continue;
                }
                files.put(relative.toString().replace('\\', '/'), Files.readAllBytes(path));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read package " + root, e);
        }
        return files;
    }

    /**
     * The (uncompressed) beipack source: loader, file dict, then {@code from <module> import <function>} and a call
     * with {@code callArgs} (Python argument source, e.g. {@code beipack=True}).
     */
    public static String source(Map<String, byte[]> files, String module, String function, String callArgs) {
        StringBuilder out = new StringBuilder(files.values().stream().mapToInt(b -> b.length).sum() * 5 / 4 + 8192);
        out.append(LOADER);
        out.append("sys.meta_path.insert(0, PackedModules({\n");
        for (Map.Entry<String, byte[]> file : new TreeMap<>(files).entrySet()) {
            out.append("    ").append(PythonLiteral.repr(file.getKey())).append(": ");
            appendBytesLiteral(out, file.getValue());
            out.append(",\n");
        }
        out.append("}))\n");
        out.append("from ").append(module).append(" import ").append(function).append(" as ").append(function)
                .append('\n');
        out.append(function).append('(').append(callArgs).append(")\n");
        return out.toString();
    }

    /** XZ container, LZMA2 preset 9 extreme, CRC64 — what Python's {@code lzma.decompress} auto-detects. */
    public static byte[] compress(String source) {
        try {
            LZMA2Options options = new LZMA2Options(9);
            options.setMode(LZMA2Options.MODE_NORMAL);
            options.setNiceLen(273);
            options.setMatchFinder(LZMA2Options.MF_BT4);
            options.setDepthLimit(512);
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            try (XZOutputStream xz = new XZOutputStream(buffer, options, XZ.CHECK_CRC64)) {
                xz.write(source.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends {@code b'...'}: printable ASCII verbatim, {@code \n} for LF, {@code \xNN} for everything else. */
    static void appendBytesLiteral(StringBuilder out, byte[] data) {
        out.append("b'");
        for (byte b : data) {
            int c = b & 0xff;
            if (c == '\\' || c == '\'') {
                out.append('\\').append((char) c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c >= 0x20 && c < 0x7f) {
                out.append((char) c);
            } else {
                out.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            }
        }
        out.append('\'');
    }
}
