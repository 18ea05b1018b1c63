// @nnphys/diffusion-lm: factorization-agnostic language modelling (MLM-U, PLM) and its baselines on TensorFlow.js.
export { Tokenizer, specialTokens, type SpecialToken, type TokenizerOptions, type TokenizerJSON, type EncodeOptions, type DecodeOptions } from './tokenizer.js';
export { Transformer, type TransformerOptions, type TransformerApplyOptions, type PositionEncoding } from './transformer.js';
export { LayerNorm } from '@nnphys/core';
export { Embedding } from './layers/embedding.js';
export { MultiHeadAttention, type MultiHeadAttentionOptions, type AttentionContext } from './layers/multi_head_attention.js';
export { TransformerBlock, type TransformerBlockOptions } from './layers/transformer_block.js';
export { rotaryTables, applyRotary } from './layers/rotary.js';
export type { TokenModel } from './token_model.js';
export type { TokensLike } from './token_batch.js';

export { autoregressiveLoss, type AutoregressiveLossOptions } from './objectives/autoregressive_loss.js';
export { maskedLoss, type MaskedLossOptions } from './objectives/masked_loss.js';
export { mlmULoss, type MlmUOptions } from './objectives/mlm_u_loss.js';
export { permutationLoss } from './objectives/permutation_loss.js';
export type { MaskingOptions } from './objectives/masked_objective.js';
export { drawMlmUMask, drawFixedRateMask, mlmUWeight, randomSubset, type MlmUEstimator, type MaskDraw } from './objectives/masking.js';
export { reverseTokens, reverseEntities, type ReverseTokensOptions, type ReverseEntitiesOptions } from './reversal.js';

export { generate, generateBatch, generationOrders, type GenerationOrder, type GenerateOptions, type GenerateBatchOptions } from './generate.js';
export { sampleCategorical, categoricalProbabilities, argmaxLogit, type CategoricalOptions } from './sampling.js';

export { conditionalTable, mlmUBound, mixtureNLL, orderNLL, exactNLL, type LikelihoodOptions, type FactorizationOrder } from './likelihood/likelihood.js';
export { mlmUFromTable, orderNLLFromTable, mixtureNLLFromTable, binomial, MAX_ENUMERATION_LENGTH, type ConditionalTable } from './likelihood/conditional_table.js';
export { TabularModel, type TabularModelOptions } from './likelihood/tabular_model.js';

export { type TextSequence, type EncodedSequences, encodeSequences } from './tasks/text_sequence.js';
export { answerAccuracy, type AnswerAccuracy, type AnswerAccuracyOptions, type KindAccuracy } from './tasks/answer_accuracy.js';
export { trainOnTask, taskObjectives, ENTITY_OPEN, ENTITY_CLOSE, type TaskObjective, type TrainOnTaskOptions, type TaskModelOptions, type TaskRun } from './tasks/train_on_task.js';
