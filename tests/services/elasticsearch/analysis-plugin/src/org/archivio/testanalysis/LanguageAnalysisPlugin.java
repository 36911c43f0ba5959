package org.archivio.testanalysis;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.it.ItalianAnalyzer;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The three analysis components of Archivio's index template that a stock Elasticsearch node gets
 * from its analysis-common module: the "italian" and "english" analyzers and the "asciifolding"
 * token filter.
 *
 * The integ-test distribution on Maven Central ships without analysis-common, and the module is not
 * published there on its own. Each component here builds the same Lucene class with the same
 * defaults as analysis-common does (default stop words, no stem exclusions, no preserved
 * originals), so the test node analyses text as a production node would. Only the test node loads
 * this plugin; production uses the real module.
 */
public class LanguageAnalysisPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
        return Map.of(
            "italian", (indexSettings, env, name, settings) -> provider(name, settings, ItalianAnalyzer::new),
            "english", (indexSettings, env, name, settings) -> provider(name, settings, EnglishAnalyzer::new)
        );
    }

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of("asciifolding", (indexSettings, env, name, settings) -> new AsciiFolding(name, settings));
    }

    private static <A extends Analyzer> AnalyzerProvider<A> provider(String name, Settings settings, Supplier<A> make) {
        A analyzer = make.get();
        return new AbstractIndexAnalyzerProvider<A>(name, settings) {
            @Override
            public A get() {
                return analyzer;
            }
        };
    }

    /** Usable in normalizers too (keyword fields), as the module's filter is. */
    static final class AsciiFolding extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
        AsciiFolding(String name, Settings settings) {
            super(name, settings);
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return new ASCIIFoldingFilter(tokenStream, false);
        }
    }
}
