/*
 * backend_metal.m — the Metal backend for macOS hosts: a thin shell that
 * maps render/backend.h onto Metal objects. The replay engine has already
 * validated every request (handles, enums, sizes, the reference host's
 * fallbacks), so this file only translates.
 *
 * NOT BUILT OR RUN in this repository's Linux build: it needs macOS, the
 * Metal framework and clang with -fobjc-arc. Build on a Mac with
 *   clang -fobjc-arc -DMETALVISOR_HAVE_METAL -c render/metal/backend_metal.m \
 *         -Imtlproto/include -Irender/include -Irender/src
 * and compile render/src/replay.c with -DMETALVISOR_HAVE_METAL so that
 * render_backend_find("metal") returns it; link with -framework Metal
 * -framework Foundation.
 *
 * One MTLCommandBuffer collects the work between reads; reading a texture
 * back (present, cursor from texture, blitRetained) commits it and waits,
 * which is where a frame's GPU work actually runs.
 */
#import <Foundation/Foundation.h>
#import <Metal/Metal.h>

#include <string.h>

#include "mtlproto/decode.h"
#include "mtlproto/wire.h"
#include "render/backend.h"
#include "soft_formats.h"

@interface MVTexture : NSObject
@property(nonatomic, strong) id<MTLTexture> tex;
@property(nonatomic) struct rb_texture_desc desc;
@end
@implementation MVTexture
@end

@interface MVPipeline : NSObject
@property(nonatomic, strong) id<MTLRenderPipelineState> render;
@property(nonatomic, strong) id<MTLComputePipelineState> compute;
@end
@implementation MVPipeline
@end

@interface MVBackend : NSObject
@property(nonatomic, strong) id<MTLDevice> device;
@property(nonatomic, strong) id<MTLCommandQueue> queue;
@property(nonatomic, strong) id<MTLCommandBuffer> cmd;
@property(nonatomic, strong) id<MTLRenderCommandEncoder> render;
@property(nonatomic, strong) NSMutableDictionary<NSNumber *, id<MTLSamplerState>> *samplers;
@property(nonatomic, strong) NSMutableDictionary<NSNumber *, id<MTLDepthStencilState>> *depthStencil;
@property(nonatomic) NSUInteger passWidth, passHeight;
@end
@implementation MVBackend
@end

static MTLPixelFormat mv_format(unsigned f)
{
	switch (f) {
	case MTL_PIXEL_BGRA8_UNORM: return MTLPixelFormatBGRA8Unorm;
	case MTL_PIXEL_RGBA8_UNORM: return MTLPixelFormatRGBA8Unorm;
	case MTL_PIXEL_R8_UNORM: return MTLPixelFormatR8Unorm;
	case MTL_PIXEL_STENCIL8: return MTLPixelFormatStencil8;
	case MTL_PIXEL_RGBA16_FLOAT: return MTLPixelFormatRGBA16Float;
	case MTL_PIXEL_BGRA8_UNORM_SRGB: return MTLPixelFormatBGRA8Unorm_sRGB;
	default: return MTLPixelFormatInvalid;
	}
}

static id<MTLCommandBuffer> mv_cmd(MVBackend *b)
{
	if (!b.cmd)
		b.cmd = [b.queue commandBuffer];
	return b.cmd;
}

static void mv_flush(MVBackend *b)
{
	if (b.render) {
		[b.render endEncoding];
		b.render = nil;
	}
	if (b.cmd) {
		[b.cmd commit];
		[b.cmd waitUntilCompleted];
		b.cmd = nil;
	}
}

static void *mv_create(const struct rb_create_args *args, char *err, size_t errlen)
{
	MVBackend *b = [MVBackend new];
	b.device = MTLCreateSystemDefaultDevice();
	if (!b.device) {
		snprintf(err, errlen, "no Metal device");
		return NULL;
	}
	b.queue = [b.device newCommandQueue];
	b.samplers = [NSMutableDictionary new];
	b.depthStencil = [NSMutableDictionary new];
	return (__bridge_retained void *)b;
}

static void mv_destroy(void *be)
{
	MVBackend *b = (__bridge_transfer MVBackend *)be;
	mv_flush(b);
}

static void *mv_texture_create(void *be, const struct rb_texture_desc *d, char *err, size_t errlen)
{
	MVBackend *b = (__bridge MVBackend *)be;
	MTLTextureDescriptor *td = [MTLTextureDescriptor new];
	td.textureType = d->samples > 1 ? MTLTextureType2DMultisample : MTLTextureType2D;
	td.pixelFormat = mv_format(d->format);
	td.width = d->width;
	td.height = d->height;
	td.sampleCount = d->samples;
	MTLTextureUsage u = 0;
	if (d->usage & MTL_USAGE_SHADER_READ) u |= MTLTextureUsageShaderRead;
	if (d->usage & MTL_USAGE_SHADER_WRITE) u |= MTLTextureUsageShaderWrite;
	if (d->usage & MTL_USAGE_RENDER_TARGET) u |= MTLTextureUsageRenderTarget;
	td.usage = u | MTLTextureUsageShaderRead; /* read-back and cursor need it */
	td.storageMode = (d->samples > 1 || d->format == MTL_PIXEL_STENCIL8) ? MTLStorageModePrivate
									      : MTLStorageModeShared;
	MVTexture *t = [MVTexture new];
	t.tex = [b.device newTextureWithDescriptor:td];
	t.desc = *d;
	if (!t.tex) {
		snprintf(err, errlen, "Metal refused a %ux%u texture", d->width, d->height);
		return NULL;
	}
	return (__bridge_retained void *)t;
}

static void mv_release(void *be, void *obj)
{
	if (obj)
		(void)(__bridge_transfer id)obj;
}

static void mv_texture_upload(void *be, void *tex, uint32_t x, uint32_t y, uint32_t w, uint32_t h,
			      const uint8_t *pixels, size_t bpr)
{
	MVBackend *b = (__bridge MVBackend *)be;
	MVTexture *t = (__bridge MVTexture *)tex;
	mv_flush(b); /* uploads happen in stream order relative to earlier GPU work */
	[t.tex replaceRegion:MTLRegionMake2D(x, y, w, h) mipmapLevel:0 withBytes:pixels bytesPerRow:bpr];
}

static void mv_texture_read(void *be, void *tex, uint32_t x, uint32_t y, uint32_t w, uint32_t h, uint8_t *out,
			    size_t stride)
{
	MVBackend *b = (__bridge MVBackend *)be;
	MVTexture *t = (__bridge MVTexture *)tex;
	mv_flush(b);
	unsigned bpp = mtl_pixel_format_bytes(t.desc.format);
	NSMutableData *raw = [NSMutableData dataWithLength:(NSUInteger)w * h * bpp];
	if (t.tex.storageMode == MTLStorageModePrivate) {
		/* Resolve/copy into a shared texture first (multisampled: resolve by a blit is not
		 * available, so a single-sample copy of sample 0 is shown). */
		MTLTextureDescriptor *td = [MTLTextureDescriptor texture2DDescriptorWithPixelFormat:t.tex.pixelFormat
											      width:w
											     height:h
											  mipmapped:NO];
		td.storageMode = MTLStorageModeShared;
		id<MTLTexture> tmp = [b.device newTextureWithDescriptor:td];
		id<MTLCommandBuffer> cb = [b.queue commandBuffer];
		id<MTLBlitCommandEncoder> bl = [cb blitCommandEncoder];
		if (t.desc.samples == 1)
			[bl copyFromTexture:t.tex sourceSlice:0 sourceLevel:0 sourceOrigin:MTLOriginMake(x, y, 0)
				 sourceSize:MTLSizeMake(w, h, 1) toTexture:tmp destinationSlice:0 destinationLevel:0
			  destinationOrigin:MTLOriginMake(0, 0, 0)];
		[bl endEncoding];
		[cb commit];
		[cb waitUntilCompleted];
		[tmp getBytes:raw.mutableBytes bytesPerRow:(NSUInteger)w * bpp fromRegion:MTLRegionMake2D(0, 0, w, h)
		  mipmapLevel:0];
	} else {
		[t.tex getBytes:raw.mutableBytes bytesPerRow:(NSUInteger)w * bpp fromRegion:MTLRegionMake2D(x, y, w, h)
		    mipmapLevel:0];
	}
	const uint8_t *src = raw.bytes;
	for (uint32_t r = 0; r < h; r++)
		for (uint32_t c = 0; c < w; c++)
			soft_texel_to_rgba8(t.desc.format, src + ((size_t)r * w + c) * bpp, out + r * stride + c * 4);
}

static void mv_texture_write(void *be, void *tex, const uint8_t *in, size_t stride)
{
	MVBackend *b = (__bridge MVBackend *)be;
	MVTexture *t = (__bridge MVTexture *)tex;
	mv_flush(b);
	unsigned bpp = mtl_pixel_format_bytes(t.desc.format);
	NSMutableData *raw = [NSMutableData dataWithLength:(NSUInteger)t.desc.width * t.desc.height * bpp];
	uint8_t *dst = raw.mutableBytes;
	for (uint32_t y = 0; y < t.desc.height; y++)
		for (uint32_t x = 0; x < t.desc.width; x++)
			soft_texel_from_rgba8(t.desc.format, dst + ((size_t)y * t.desc.width + x) * bpp, in + y * stride + x * 4);
	if (t.tex.storageMode == MTLStorageModeShared)
		[t.tex replaceRegion:MTLRegionMake2D(0, 0, t.desc.width, t.desc.height) mipmapLevel:0 withBytes:dst
			 bytesPerRow:(NSUInteger)t.desc.width * bpp];
	/* Private (multisampled) targets would need a draw to fill every sample: not done. */
}

static void *mv_library_create(void *be, const char *src, size_t len, char *err, size_t errlen)
{
	MVBackend *b = (__bridge MVBackend *)be;
	NSString *s = [[NSString alloc] initWithBytes:src length:len encoding:NSUTF8StringEncoding];
	NSError *e = nil;
	id<MTLLibrary> lib = s ? [b.device newLibraryWithSource:s options:nil error:&e] : nil;
	if (!lib) {
		snprintf(err, errlen, "%s", e ? e.localizedDescription.UTF8String : "source is not UTF-8");
		return NULL;
	}
	return (__bridge_retained void *)lib;
}

static void *mv_function_create(void *be, void *lib, const char *name, size_t len, char *err, size_t errlen)
{
	id<MTLLibrary> l = (__bridge id<MTLLibrary>)lib;
	NSString *n = [[NSString alloc] initWithBytes:name length:len encoding:NSUTF8StringEncoding];
	id<MTLFunction> f = n ? [l newFunctionWithName:n] : nil;
	if (!f) {
		snprintf(err, errlen, "no function named '%.*s'", (int)(len > 64 ? 64 : len), name);
		return NULL;
	}
	return (__bridge_retained void *)f;
}

static void *mv_render_pipeline_create(void *be, const struct rb_render_pipeline_desc *d, char *err, size_t errlen)
{
	MVBackend *b = (__bridge MVBackend *)be;
	MTLRenderPipelineDescriptor *pd = [MTLRenderPipelineDescriptor new];
	pd.vertexFunction = (__bridge id<MTLFunction>)d->vertex_fn;
	pd.fragmentFunction = (__bridge id<MTLFunction>)d->fragment_fn;
	MTLVertexDescriptor *vd = [MTLVertexDescriptor vertexDescriptor];
	vd.attributes[0].format = MTLVertexFormatFloat2;
	vd.attributes[0].offset = 0;
	vd.attributes[1].format = MTLVertexFormatFloat2;
	vd.attributes[1].offset = 8;
	vd.attributes[2].format = MTLVertexFormatFloat4;
	vd.attributes[2].offset = 16;
	for (int i = 0; i < 3; i++)
		vd.attributes[i].bufferIndex = 0;
	vd.layouts[0].stride = MTL_VERTEX_STRIDE;
	pd.vertexDescriptor = vd;
	pd.rasterSampleCount = d->sample_count;
	MTLRenderPipelineColorAttachmentDescriptor *ca = pd.colorAttachments[0];
	ca.pixelFormat = mv_format(d->pixel_format);
	MTLColorWriteMask m = 0;
	if (d->write_mask & MTL_WRITE_R) m |= MTLColorWriteMaskRed;
	if (d->write_mask & MTL_WRITE_G) m |= MTLColorWriteMaskGreen;
	if (d->write_mask & MTL_WRITE_B) m |= MTLColorWriteMaskBlue;
	if (d->write_mask & MTL_WRITE_A) m |= MTLColorWriteMaskAlpha;
	ca.writeMask = m;
	if (d->blend) { /* DESIGN §3: RGB src*a + dst*(1-a); alpha src + dst*(1-a) */
		ca.blendingEnabled = YES;
		ca.sourceRGBBlendFactor = MTLBlendFactorSourceAlpha;
		ca.destinationRGBBlendFactor = MTLBlendFactorOneMinusSourceAlpha;
		ca.sourceAlphaBlendFactor = MTLBlendFactorOne;
		ca.destinationAlphaBlendFactor = MTLBlendFactorOneMinusSourceAlpha;
	}
	if (d->stencil_format)
		pd.stencilAttachmentPixelFormat = MTLPixelFormatStencil8;
	NSError *e = nil;
	id<MTLRenderPipelineState> ps = [b.device newRenderPipelineStateWithDescriptor:pd error:&e];
	if (!ps) {
		snprintf(err, errlen, "%s", e.localizedDescription.UTF8String);
		return NULL;
	}
	MVPipeline *p = [MVPipeline new];
	p.render = ps;
	return (__bridge_retained void *)p;
}

static void *mv_compute_pipeline_create(void *be, void *fn, char *err, size_t errlen)
{
	MVBackend *b = (__bridge MVBackend *)be;
	NSError *e = nil;
	id<MTLComputePipelineState> cs = [b.device newComputePipelineStateWithFunction:(__bridge id<MTLFunction>)fn
										 error:&e];
	if (!cs) {
		snprintf(err, errlen, "%s", e.localizedDescription.UTF8String);
		return NULL;
	}
	MVPipeline *p = [MVPipeline new];
	p.compute = cs;
	return (__bridge_retained void *)p;
}

static void mv_begin_pass(void *be, const struct rb_pass *p)
{
	MVBackend *b = (__bridge MVBackend *)be;
	MVTexture *c = (__bridge MVTexture *)p->color;
	MTLRenderPassDescriptor *rp = [MTLRenderPassDescriptor renderPassDescriptor];
	rp.colorAttachments[0].texture = c.tex;
	rp.colorAttachments[0].loadAction = p->load == MTL_LOAD_CLEAR  ? MTLLoadActionClear
					    : p->load == MTL_LOAD_LOAD ? MTLLoadActionLoad
								       : MTLLoadActionDontCare;
	rp.colorAttachments[0].clearColor = MTLClearColorMake(p->clear[0], p->clear[1], p->clear[2], p->clear[3]);
	if (p->resolve) {
		rp.colorAttachments[0].resolveTexture = ((__bridge MVTexture *)p->resolve).tex;
		rp.colorAttachments[0].storeAction = MTLStoreActionMultisampleResolve;
	} else {
		rp.colorAttachments[0].storeAction = p->store == MTL_STORE_DONT_CARE ? MTLStoreActionDontCare
										     : MTLStoreActionStore;
	}
	if (p->stencil) { /* the reference host: cleared to 0 every pass, never stored */
		rp.stencilAttachment.texture = ((__bridge MVTexture *)p->stencil).tex;
		rp.stencilAttachment.loadAction = MTLLoadActionClear;
		rp.stencilAttachment.clearStencil = 0;
		rp.stencilAttachment.storeAction = MTLStoreActionDontCare;
	}
	b.render = [mv_cmd(b) renderCommandEncoderWithDescriptor:rp];
	b.passWidth = c.desc.width;
	b.passHeight = c.desc.height;
}

static void mv_end_pass(void *be)
{
	MVBackend *b = (__bridge MVBackend *)be;
	[b.render endEncoding];
	b.render = nil;
}

static MTLStencilOperation mv_op(unsigned op)
{
	static const MTLStencilOperation ops[] = {
		MTLStencilOperationKeep, MTLStencilOperationZero, MTLStencilOperationReplace,
		MTLStencilOperationIncrementClamp, MTLStencilOperationDecrementClamp, MTLStencilOperationInvert,
		MTLStencilOperationIncrementWrap, MTLStencilOperationDecrementWrap,
	};
	return ops[op & 7];
}

static id<MTLDepthStencilState> mv_depth_stencil(MVBackend *b, const struct rb_depth_stencil *ds)
{
	uint32_t key = ds ? (uint32_t)ds->stencil_enabled | (uint32_t)ds->compare[0] << 1 | (uint32_t)ds->pass_op[0] << 4 |
				    (uint32_t)ds->fail_op[0] << 7 | (uint32_t)ds->compare[1] << 10 |
				    (uint32_t)ds->pass_op[1] << 13 | (uint32_t)ds->fail_op[1] << 16
			  : 0;
	id<MTLDepthStencilState> s = b.depthStencil[@(key)];
	if (s)
		return s;
	MTLDepthStencilDescriptor *dd = [MTLDepthStencilDescriptor new];
	if (ds && ds->stencil_enabled) {
		for (int f = 0; f < 2; f++) {
			MTLStencilDescriptor *sd = [MTLStencilDescriptor new];
			/* wire compare numbering differs from MTLCompareFunction's */
			static const MTLCompareFunction cmp[] = {
				MTLCompareFunctionNever, MTLCompareFunctionAlways, MTLCompareFunctionEqual,
				MTLCompareFunctionNotEqual, MTLCompareFunctionLess, MTLCompareFunctionLessEqual,
				MTLCompareFunctionGreater, MTLCompareFunctionGreaterEqual,
			};
			sd.stencilCompareFunction = cmp[ds->compare[f] & 7];
			sd.depthStencilPassOperation = mv_op(ds->pass_op[f]);
			sd.stencilFailureOperation = mv_op(ds->fail_op[f]);
			sd.depthFailureOperation = MTLStencilOperationKeep;
			if (f == 0)
				dd.frontFaceStencil = sd;
			else
				dd.backFaceStencil = sd;
		}
	}
	s = [b.device newDepthStencilStateWithDescriptor:dd];
	b.depthStencil[@(key)] = s;
	return s;
}

static id<MTLSamplerState> mv_sampler(MVBackend *b, const struct rb_sampler *rs)
{
	uint32_t key = rs->min | rs->mag << 2 | rs->s_mode << 4 | rs->t_mode << 8;
	id<MTLSamplerState> s = b.samplers[@(key)];
	if (s)
		return s;
	static const MTLSamplerAddressMode modes[] = {
		MTLSamplerAddressModeClampToEdge, MTLSamplerAddressModeRepeat, MTLSamplerAddressModeMirrorRepeat,
		MTLSamplerAddressModeClampToZero,
	};
	MTLSamplerDescriptor *sd = [MTLSamplerDescriptor new];
	sd.minFilter = rs->min ? MTLSamplerMinMagFilterLinear : MTLSamplerMinMagFilterNearest;
	sd.magFilter = rs->mag ? MTLSamplerMinMagFilterLinear : MTLSamplerMinMagFilterNearest;
	sd.sAddressMode = modes[rs->s_mode & 3];
	sd.tAddressMode = modes[rs->t_mode & 3];
	s = [b.device newSamplerStateWithDescriptor:sd];
	b.samplers[@(key)] = s;
	return s;
}

static uint64_t mv_draw(void *be, const struct rb_draw_state *st, unsigned prim, uint32_t start, uint32_t count)
{
	MVBackend *b = (__bridge MVBackend *)be;
	id<MTLRenderCommandEncoder> enc = b.render;
	MVPipeline *p = (__bridge MVPipeline *)st->pipeline;
	if (!enc || !p.render)
		return 0;
	[enc setRenderPipelineState:p.render];
	[enc setDepthStencilState:mv_depth_stencil(b, st->depth_stencil)];
	[enc setStencilReferenceValue:st->stencil_ref];
	MTLScissorRect sc = { 0, 0, b.passWidth, b.passHeight };
	if (st->scissor_enabled)
		sc = (MTLScissorRect){ st->scissor[0], st->scissor[1], st->scissor[2], st->scissor[3] };
	if (sc.width == 0 || sc.height == 0)
		return 0; /* Metal rejects an empty scissor; nothing would be drawn */
	[enc setScissorRect:sc];
	for (int i = 0; i < RB_MAX_BUFFERS; i++) {
		if (st->vertex_bytes[i].data && st->vertex_bytes[i].len)
			[enc setVertexBytes:st->vertex_bytes[i].data length:st->vertex_bytes[i].len atIndex:i];
		if (st->fragment_bytes[i].data && st->fragment_bytes[i].len)
			[enc setFragmentBytes:st->fragment_bytes[i].data length:st->fragment_bytes[i].len atIndex:i];
	}
	for (int i = 0; i < RB_MAX_TEXTURES; i++)
		if (st->fragment_textures[i])
			[enc setFragmentTexture:((__bridge MVTexture *)st->fragment_textures[i]).tex atIndex:i];
	for (int i = 0; i < RB_MAX_SAMPLERS; i++)
		if (st->fragment_samplers[i])
			[enc setFragmentSamplerState:mv_sampler(b, st->fragment_samplers[i]) atIndex:i];
	static const MTLPrimitiveType types[] = { MTLPrimitiveTypeTriangle, MTLPrimitiveTypeTriangleStrip,
						  MTLPrimitiveTypeLine, MTLPrimitiveTypePoint };
	if (count)
		[enc drawPrimitives:types[prim & 3] vertexStart:start vertexCount:count];
	switch (prim) {
	case MTL_PRIMITIVE_TRIANGLE: return count / 3;
	case MTL_PRIMITIVE_TRIANGLE_STRIP: return count >= 3 ? count - 2 : 0;
	case MTL_PRIMITIVE_LINE: return count / 2;
	default: return count;
	}
}

static void mv_dispatch(void *be, const struct rb_compute_state *st, const uint16_t grid[3], const uint16_t tg[3])
{
	MVBackend *b = (__bridge MVBackend *)be;
	MVPipeline *p = (__bridge MVPipeline *)st->pipeline;
	if (!p.compute)
		return;
	id<MTLComputeCommandEncoder> enc = [mv_cmd(b) computeCommandEncoder];
	[enc setComputePipelineState:p.compute];
	for (int i = 0; i < RB_MAX_BUFFERS; i++)
		if (st->bytes[i].data && st->bytes[i].len)
			[enc setBytes:st->bytes[i].data length:st->bytes[i].len atIndex:i];
	for (int i = 0; i < RB_MAX_TEXTURES; i++)
		if (st->textures[i])
			[enc setTexture:((__bridge MVTexture *)st->textures[i]).tex atIndex:i];
	[enc dispatchThreads:MTLSizeMake(grid[0], grid[1], grid[2])
	    threadsPerThreadgroup:MTLSizeMake(tg[0], tg[1], tg[2])];
	[enc endEncoding];
}

static void mv_copy(void *be, void *src, void *dst, uint32_t sx, uint32_t sy, uint32_t w, uint32_t h, uint32_t dx,
		    uint32_t dy)
{
	MVBackend *b = (__bridge MVBackend *)be;
	id<MTLBlitCommandEncoder> bl = [mv_cmd(b) blitCommandEncoder];
	[bl copyFromTexture:((__bridge MVTexture *)src).tex sourceSlice:0 sourceLevel:0
		   sourceOrigin:MTLOriginMake(sx, sy, 0) sourceSize:MTLSizeMake(w, h, 1)
		      toTexture:((__bridge MVTexture *)dst).tex destinationSlice:0 destinationLevel:0
	      destinationOrigin:MTLOriginMake(dx, dy, 0)];
	[bl endEncoding];
}

const struct render_backend render_backend_metal = {
	.name = "metal",
	.create = mv_create,
	.destroy = mv_destroy,
	.texture_create = mv_texture_create,
	.texture_destroy = mv_release,
	.texture_upload = mv_texture_upload,
	.texture_read_rgba8 = mv_texture_read,
	.texture_write_rgba8 = mv_texture_write,
	.library_create = mv_library_create,
	.library_destroy = mv_release,
	.function_create = mv_function_create,
	.function_destroy = mv_release,
	.render_pipeline_create = mv_render_pipeline_create,
	.compute_pipeline_create = mv_compute_pipeline_create,
	.pipeline_destroy = mv_release,
	.begin_render_pass = mv_begin_pass,
	.end_render_pass = mv_end_pass,
	.draw = mv_draw,
	.dispatch = mv_dispatch,
	.copy_region = mv_copy,
	.take_error = NULL,
};
