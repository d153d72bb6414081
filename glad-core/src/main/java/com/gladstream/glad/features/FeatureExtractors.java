package com.gladstream.glad.features;

import com.gladstream.glad.model.GladModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Creates feature extractors from a spec string, the form in which configurations, command lines
 * and model metadata name them. Every extractor's {@link FeatureExtractor#name()} is a spec that
 * recreates it.
 *
 * <ul>
 *   <li>{@code onnx:/path/model.onnx[?outputs=feat_s4,feat_s8&size=256]}: {@link OnnxBackboneFeatures};
 *       outputs default to {@link #DEFAULT_ONNX_OUTPUTS}, size 0 keeps the images' own size.
 *   <li>{@code torchscript:/path/model.pt[?size=256]}: {@link TorchScriptBackboneFeatures}.
 *   <li>{@code pixel[?patches=4,8]}: {@link PixelPatchFeatures}.
 *   <li>{@code random-conv[?seed=0&layers=0,1,2]}: {@link RandomConvFeatures}.
 *   <li>{@code learned[?layers=0,1,2]}: {@link LearnedConvFeatures}, the network trained for the model
 *       being used and stored with it.
 *   <li>{@code unet-encoder[?t=20&layers=1,2]}: {@link UNetEncoderFeatures} of the model being used
 *       (without {@code layers}, the extractor's defaults for that model).
 *   <li>{@code <spec>+<spec>}: {@link CombinedFeatures}, the layers of both (a file path of an
 *       {@code onnx:} or {@code torchscript:} spec must not contain {@code +}).
 *   <li>{@code trigger=<spec>;map=<spec>}: {@link TriggerAndMapFeatures}, one of the above for the ADS
 *       trigger and another for the final map.
 * </ul>
 */
public final class FeatureExtractors {

    /**
     * Strides 4 and 8 of the MobileNetV2 experiment backbone. Measured without test images
     * (synthetic anomalies on held-out normal images of hazelnut_toy and mpdd_metal_plate, mapped
     * against another normal image): at 256 px feat_s4+feat_s8 gave P-AUROC 0.977/0.963 and AUPRO
     * 0.877/0.839, within 0.02 of the best single choice on both sets; adding feat_s16 (16×16, too
     * coarse to localise) lowered AUPRO to 0.846/0.800.
     */
    public static final List<String> DEFAULT_ONNX_OUTPUTS = List.of("feat_s4", "feat_s8");

    /** The kind of spec whose network {@code CategoryTrainer} trains with the model. */
    public static final String LEARNED = "learned";
    static final String TRIGGER = "trigger=";
    static final String MAP = "map=";
    static final String SEPARATOR = ";";
    static final String COMBINE = "+";

    private FeatureExtractors() {}

    /** Whether {@code spec} names, for the trigger or the map, features that are trained with the model. */
    public static boolean needsFeatureNet(String spec) {
        return parts(spec).stream()
                .flatMap(part -> combined(part).stream())
                .anyMatch(part -> stripOptions(part).equals(LEARNED));
    }

    /** The one or two extractor specs in {@code spec}: {@code [spec]}, or {@code [trigger, map]}. */
    private static List<String> parts(String spec) {
        if (!spec.contains(SEPARATOR)) {
            return List.of(spec);
        }
        String[] parts = spec.split(SEPARATOR, -1);
        if (parts.length != 2 || !parts[0].startsWith(TRIGGER) || !parts[1].startsWith(MAP)) {
            throw new IllegalArgumentException("feature extractor '" + spec + "': two extractors are written "
                    + TRIGGER + "<spec>" + SEPARATOR + MAP + "<spec>");
        }
        return List.of(parts[0].substring(TRIGGER.length()), parts[1].substring(MAP.length()));
    }

    /** The extractor specs combined in one part of a spec: {@code [a, b]} for {@code a+b}. */
    private static List<String> combined(String part) {
        List<String> specs = List.of(part.split(Pattern.quote(COMBINE), -1));
        if (specs.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("feature extractor '" + part + "': combined extractors are written <spec>"
                    + COMBINE + "<spec>");
        }
        return specs;
    }

    public static FeatureExtractor create(String spec) {
        return create(spec, null);
    }

    /** As {@link #create(String)}, also resolving {@code unet-encoder} and {@code learned} specs against {@code model}. */
    public static FeatureExtractor create(String spec, GladModel model) {
        List<String> parts = parts(spec);
        if (parts.size() == 1) {
            return createCombined(spec, model);
        }
        FeatureExtractor trigger = createCombined(parts.get(0), model);
        try {
            return new TriggerAndMapFeatures(trigger, createCombined(parts.get(1), model));
        } catch (RuntimeException e) {
            trigger.close();
            throw e;
        }
    }

    private static FeatureExtractor createCombined(String part, GladModel model) {
        List<String> specs = combined(part);
        if (specs.size() == 1) {
            return createOne(part, model);
        }
        List<FeatureExtractor> created = new ArrayList<>();
        try {
            for (String spec : specs) {
                created.add(createOne(spec, model));
            }
            return new CombinedFeatures(created);
        } catch (RuntimeException e) {
            created.forEach(FeatureExtractor::close);
            throw e;
        }
    }

    private static FeatureExtractor createOne(String spec, GladModel model) {
        int colon = spec.indexOf(':');
        String kind = colon < 0 ? stripOptions(spec) : spec.substring(0, colon);
        Map<String, String> options = options(spec);
        return switch (kind) {
            case "unet-encoder" -> {
                if (model == null) {
                    throw new IllegalArgumentException("feature extractor '" + spec + "' needs the diffusion model it reads");
                }
                yield options.containsKey("layers")
                        ? new UNetEncoderFeatures(model, intOption(options, "t", UNetEncoderFeatures.DEFAULT_TIMESTEP, spec),
                                intList(options.get("layers"), spec))
                        : new UNetEncoderFeatures(model);
            }
            case LEARNED -> {
                if (model == null) {
                    throw new IllegalArgumentException("feature extractor '" + spec + "' needs the model it was trained with");
                }
                yield new LearnedConvFeatures(model,
                        options.containsKey("layers") ? intList(options.get("layers"), spec) : LearnedConvFeatures.DEFAULT_LAYERS);
            }
            case "onnx" -> new OnnxBackboneFeatures(
                    path(spec, colon),
                    options.containsKey("outputs") ? List.of(options.get("outputs").split(",")) : DEFAULT_ONNX_OUTPUTS,
                    intOption(options, "size", 0, spec));
            case "torchscript" -> new TorchScriptBackboneFeatures(path(spec, colon), intOption(options, "size", 0, spec));
            case "pixel" -> new PixelPatchFeatures(options.containsKey("patches")
                    ? intList(options.get("patches"), spec)
                    : PixelPatchFeatures.DEFAULT_PATCHES);
            case "random-conv" -> new RandomConvFeatures(intOption(options, "seed", RandomConvFeatures.DEFAULT_SEED, spec),
                    options.containsKey("layers") ? intList(options.get("layers"), spec) : RandomConvFeatures.DEFAULT_LAYERS);
            default -> throw new IllegalArgumentException("unknown feature extractor '" + spec
                    + "' (expected onnx:<file>, torchscript:<file>, pixel, random-conv, learned or unet-encoder)");
        };
    }

    static String onnxSpec(Path file, List<String> outputs, int size) {
        return "onnx:" + file + "?outputs=" + String.join(",", outputs) + (size > 0 ? "&size=" + size : "");
    }

    static String torchScriptSpec(Path file, int size) {
        return "torchscript:" + file + (size > 0 ? "?size=" + size : "");
    }

    static String pixelSpec(int[] patches) {
        return "pixel?patches=" + String.join(",", Arrays.stream(patches).mapToObj(Integer::toString).toList());
    }

    private static Path path(String spec, int colon) {
        String path = stripOptions(spec.substring(colon + 1));
        if (path.isBlank()) {
            throw new IllegalArgumentException("feature extractor '" + spec + "' names no model file");
        }
        return Path.of(path);
    }

    private static String stripOptions(String s) {
        int q = s.indexOf('?');
        return q < 0 ? s : s.substring(0, q);
    }

    private static Map<String, String> options(String spec) {
        Map<String, String> options = new LinkedHashMap<>();
        int q = spec.indexOf('?');
        if (q < 0) {
            return options;
        }
        for (String pair : spec.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("malformed option '" + pair + "' in feature extractor '" + spec + "'");
            }
            options.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return options;
    }

    private static int intOption(Map<String, String> options, String key, int fallback, String spec) {
        return options.containsKey(key) ? parseInt(options.get(key), spec) : fallback;
    }

    private static int[] intList(String value, String spec) {
        return Arrays.stream(value.split(",")).mapToInt(p -> parseInt(p, spec)).toArray();
    }

    private static int parseInt(String value, String spec) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not a number in feature extractor '" + spec + "'");
        }
    }
}
