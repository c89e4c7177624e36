package io.etcdj.raft.purity;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a compiled class refers to, read from its constant pool: every class it names (directly
 * or inside field/method descriptors and signatures) and every method it calls.
 */
final class ClassFileReferences {
  final Set<String> classes = new TreeSet<>();
  /** "owner.name" of every method reference, e.g. {@code java/lang/System.nanoTime}. */
  final Set<String> methods = new TreeSet<>();

  static ClassFileReferences read(byte[] bytes) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort();
    in.readUnsignedShort();
    int count = in.readUnsignedShort();
    int[] tags = new int[count];
    String[] utf8 = new String[count];
    int[] first = new int[count];
    int[] second = new int[count];
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      tags[i] = tag;
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 3, 4 -> in.readInt();
        case 5, 6 -> {
          in.readLong();
          i++;
        }
        case 7, 8, 16, 19, 20 -> first[i] = in.readUnsignedShort();
        case 9, 10, 11, 12, 17, 18 -> {
          first[i] = in.readUnsignedShort();
          second[i] = in.readUnsignedShort();
        }
        case 15 -> {
          in.readUnsignedByte();
          first[i] = in.readUnsignedShort();
        }
        default -> throw new IOException("unknown constant pool tag " + tag);
      }
    }
    ClassFileReferences refs = new ClassFileReferences();
    for (int i = 1; i < count; i++) {
      if (tags[i] == 7) {
        String name = utf8[first[i]];
        refs.classes.add(name.startsWith("[") ? stripArray(name) : name);
      } else if (tags[i] == 1) {
        refs.classes.addAll(typesInDescriptor(utf8[i]));
      } else if (tags[i] == 10 || tags[i] == 11) {
        String owner = utf8[first[first[i]]];
        String name = utf8[first[second[i]]];
        refs.methods.add(owner + "." + name);
      }
    }
    return refs;
  }

  private static String stripArray(String name) {
    String n = name.replaceFirst("^\\[+", "");
    if (n.startsWith("L") && n.endsWith(";")) {
      return n.substring(1, n.length() - 1);
    }
    return n;
  }

  /** Class names appearing as {@code Lpkg/Name;} inside a descriptor or signature string. */
  static List<String> typesInDescriptor(String s) {
    List<String> out = new ArrayList<>();
    int i = s.indexOf('L');
    while (i >= 0) {
      int end = s.indexOf(';', i);
      if (end < 0) {
        break;
      }
      String candidate = s.substring(i + 1, end);
      int generic = candidate.indexOf('<');
      if (generic >= 0) {
        candidate = candidate.substring(0, generic);
      }
      if (candidate.matches("[A-Za-z_$][\\w$]*(/[\\w$]+)+")) {
        out.add(candidate);
      }
      i = s.indexOf('L', i + 1);
    }
    return out;
  }
}
